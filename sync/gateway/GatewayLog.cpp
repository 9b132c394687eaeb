#include "sync/gateway/GatewayLog.h"

namespace zaitaku::sync::gateway
{

void GatewayLog::write(const char* level, const std::string& event, nlohmann::json fields)
{
    nlohmann::json line = nlohmann::json::object();
    line["ts"] = m_clock.nowJst().toString();
    line["level"] = level;
    line["event"] = event;
    for (auto& [key, value] : fields.items()) {
        line[key] = value;
    }
    const std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
    std::lock_guard lock(m_mutex);
    m_out << text << std::flush;
}

} // namespace zaitaku::sync::gateway
