#pragma once

// Prometheus text exposition for /metrics: request counts by route and status, latency
// histograms by route, rejected signatures, record outcomes, and gauges sampled at scrape time
// (open connections, requests in flight, stored rows).

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace zaitaku::sync::gateway
{

// A series read from its owner at scrape time (issue 30: every series has HELP and TYPE, a
// cumulative count is a counter named *_total, values print exactly).
struct MetricSample
{
    std::string name;
    std::string help;
    bool counter = false;
    double value = 0;
};

// A value as Prometheus reads it: integers as integers (no 1.23457e+07), others as the shortest
// text that reads back to the same double.
std::string metricNumber(double value);

class Metrics
{
public:
    void observeRequest(const std::string& route, int status, std::chrono::nanoseconds latency);
    void countRecord(const std::string& status);
    void countRejectedSignature() { ++m_rejectedSignatures; }
    void countRateLimited() { ++m_rateLimited; }
    void countCertificateIssued() { ++m_certificatesIssued; }
    // Security review M6: device routes refused 401/403 (no, an unknown, a revoked or a
    // monitoring certificate) and bad enrollment codes.
    void countAuthRefused() { ++m_authRefused; }
    std::atomic<std::int64_t>& inFlight() { return m_inFlight; }

    // Scrape-time series are passed in: they are read from their owners.
    std::string render(const std::vector<MetricSample>& samples) const;
    static constexpr const char* kContentType = "text/plain; version=0.0.4; charset=utf-8";

    static constexpr std::array<double, 11> kBuckets{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5};

private:
    struct Histogram
    {
        std::array<std::uint64_t, kBuckets.size()> counts{};
        std::uint64_t total = 0;
        double sum = 0;
    };
    mutable std::mutex m_mutex;
    std::map<std::pair<std::string, int>, std::uint64_t> m_requests;
    std::map<std::string, Histogram> m_latency;
    std::map<std::string, std::uint64_t> m_records;
    std::atomic<std::uint64_t> m_rejectedSignatures{0};
    std::atomic<std::uint64_t> m_rateLimited{0};
    std::atomic<std::uint64_t> m_certificatesIssued{0};
    std::atomic<std::uint64_t> m_authRefused{0};
    std::atomic<std::int64_t> m_inFlight{0};
};

} // namespace zaitaku::sync::gateway
