#pragma once

// Structured logs: one JSON object per line (ts, level, event, then fields), written whole under a
// lock so lines from several threads never interleave. Never a payload, a key or a code.

#include "base/Clock.h"

#include <mutex>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>

namespace zaitaku::sync::gateway
{

class GatewayLog
{
public:
    GatewayLog(std::ostream& out, const base::Clock& clock, bool verbose = false)
        : m_out(out)
        , m_clock(clock)
        , m_verbose(verbose)
    {}

    void info(const std::string& event, nlohmann::json fields = nlohmann::json::object())
    {
        write("info", event, std::move(fields));
    }
    void warn(const std::string& event, nlohmann::json fields = nlohmann::json::object())
    {
        write("warn", event, std::move(fields));
    }
    void error(const std::string& event, nlohmann::json fields = nlohmann::json::object())
    {
        write("error", event, std::move(fields));
    }
    // Per-request lines only when verbose (the bench would otherwise measure the log).
    void request(nlohmann::json fields)
    {
        if (m_verbose) {
            write("info", "request", std::move(fields));
        }
    }

private:
    void write(const char* level, const std::string& event, nlohmann::json fields);
    std::ostream& m_out;
    const base::Clock& m_clock;
    bool m_verbose;
    std::mutex m_mutex;
};

} // namespace zaitaku::sync::gateway
