#include "sync/gateway/Metrics.h"

#include <charconv>
#include <cmath>
#include <sstream>

namespace zaitaku::sync::gateway
{

std::string metricNumber(double value)
{
    if (std::isnan(value)) {
        return "NaN";
    }
    if (std::isinf(value)) {
        return value > 0 ? "+Inf" : "-Inf";
    }
    char buf[64];
    const bool integral = std::trunc(value) == value && std::fabs(value) < 9007199254740992.0; // 2^53
    auto [end, ec] = integral ? std::to_chars(buf, buf + sizeof buf, static_cast<std::int64_t>(value))
                              : std::to_chars(buf, buf + sizeof buf, value);
    return ec == std::errc() ? std::string(buf, end) : std::string("NaN");
}

void Metrics::observeRequest(const std::string& route, int status, std::chrono::nanoseconds latency)
{
    const double seconds = std::chrono::duration<double>(latency).count();
    std::lock_guard lock(m_mutex);
    ++m_requests[{route, status}];
    auto& h = m_latency[route];
    for (std::size_t i = 0; i < kBuckets.size(); ++i) {
        if (seconds <= kBuckets[i]) {
            ++h.counts[i];
        }
    }
    ++h.total;
    h.sum += seconds;
}

void Metrics::countRecord(const std::string& status)
{
    std::lock_guard lock(m_mutex);
    ++m_records[status];
}

std::string Metrics::render(const std::vector<MetricSample>& samples) const
{
    std::ostringstream out;
    std::lock_guard lock(m_mutex);
    out << "# HELP zaitaku_gateway_requests_total HTTP requests by route and status.\n"
        << "# TYPE zaitaku_gateway_requests_total counter\n";
    for (const auto& [key, count] : m_requests) {
        out << "zaitaku_gateway_requests_total{route=\"" << key.first << "\",status=\"" << key.second << "\"} " << count
            << "\n";
    }
    out << "# HELP zaitaku_gateway_request_seconds Request latency by route.\n"
        << "# TYPE zaitaku_gateway_request_seconds histogram\n";
    for (const auto& [route, h] : m_latency) {
        for (std::size_t i = 0; i < kBuckets.size(); ++i) {
            out << "zaitaku_gateway_request_seconds_bucket{route=\"" << route << "\",le=\"" << metricNumber(kBuckets[i])
                << "\"} " << h.counts[i] << "\n";
        }
        out << "zaitaku_gateway_request_seconds_bucket{route=\"" << route << "\",le=\"+Inf\"} " << h.total << "\n"
            << "zaitaku_gateway_request_seconds_sum{route=\"" << route << "\"} " << metricNumber(h.sum) << "\n"
            << "zaitaku_gateway_request_seconds_count{route=\"" << route << "\"} " << h.total << "\n";
    }
    out << "# HELP zaitaku_gateway_records_total Records by intake outcome.\n"
        << "# TYPE zaitaku_gateway_records_total counter\n";
    for (const auto& [status, count] : m_records) {
        out << "zaitaku_gateway_records_total{status=\"" << status << "\"} " << count << "\n";
    }
    out << "# HELP zaitaku_gateway_rejected_signatures_total Evidence refused for a signature, certificate or "
           "challenge.\n"
        << "# TYPE zaitaku_gateway_rejected_signatures_total counter\n"
        << "zaitaku_gateway_rejected_signatures_total " << m_rejectedSignatures.load() << "\n"
        << "# HELP zaitaku_gateway_rate_limited_total Requests refused with 429.\n"
        << "# TYPE zaitaku_gateway_rate_limited_total counter\n"
        << "zaitaku_gateway_rate_limited_total " << m_rateLimited.load() << "\n"
        << "# HELP zaitaku_gateway_certificates_issued_total Device certificates signed (enrollments).\n"
        << "# TYPE zaitaku_gateway_certificates_issued_total counter\n"
        << "zaitaku_gateway_certificates_issued_total " << m_certificatesIssued.load() << "\n"
        << "# HELP zaitaku_gateway_auth_refused_total Requests refused for their certificate or enrollment code.\n"
        << "# TYPE zaitaku_gateway_auth_refused_total counter\n"
        << "zaitaku_gateway_auth_refused_total " << m_authRefused.load() << "\n"
        << "# HELP zaitaku_gateway_requests_in_flight Requests being handled (the intake queue depth).\n"
        << "# TYPE zaitaku_gateway_requests_in_flight gauge\n"
        << "zaitaku_gateway_requests_in_flight " << m_inFlight.load() << "\n";
    for (const auto& s : samples) {
        out << "# HELP " << s.name << " " << s.help << "\n"
            << "# TYPE " << s.name << (s.counter ? " counter\n" : " gauge\n") << s.name << " " << metricNumber(s.value)
            << "\n";
    }
    return out.str();
}

} // namespace zaitaku::sync::gateway
