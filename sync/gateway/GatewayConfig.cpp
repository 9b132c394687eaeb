#include "sync/gateway/GatewayConfig.h"

#include "base/AtomicFile.h"

#include <charconv>
#include <sstream>

namespace zaitaku::sync::gateway
{

namespace
{

std::string trim(const std::string& s)
{
    const auto b = s.find_first_not_of(" \t\r");
    const auto e = s.find_last_not_of(" \t\r");
    return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

template <typename T> Expected<T, Error> number(const std::string& key, const std::string& value, T min, T max)
{
    T out{};
    auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), out);
    if (ec != std::errc() || ptr != value.data() + value.size() || out < min || out > max) {
        return Unexpected(Error{Errc::InvalidInput,
                                key + " must be a number between " + std::to_string(min) + " and " +
                                    std::to_string(max) + " (got '" + value + "')",
                                key});
    }
    return out;
}

} // namespace

Expected<void, Error> GatewayConfig::set(const std::string& key, const std::string& value)
{
    auto hours = [&](std::chrono::hours& target, long max) -> Expected<void, Error> {
        auto n = number<long>(key, value, 1, max);
        if (!n) {
            return Unexpected(n.error());
        }
        target = std::chrono::hours(*n);
        return {};
    };
    if (key == "listen") {
        const auto colon = value.rfind(':');
        if (colon == std::string::npos) {
            return Unexpected(Error{Errc::InvalidInput, "listen must be HOST:PORT", key});
        }
        auto p = number<unsigned>(key, value.substr(colon + 1), 0, 65535);
        if (!p) {
            return Unexpected(p.error());
        }
        host = value.substr(0, colon);
        if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
            host = host.substr(1, host.size() - 2);
        }
        port = static_cast<std::uint16_t>(*p);
    } else if (key == "threads") {
        auto n = number<int>(key, value, 1, 64);
        if (!n) {
            return Unexpected(n.error());
        }
        threads = *n;
    } else if (key == "server_name") {
        serverNames.push_back(value);
    } else if (key == "jpki_ca") {
        jpkiCaFiles.push_back(value);
    } else if (key == "jpki_crl") {
        jpkiCrlFile = value;
    } else if (key == "challenge_lifetime_hours") {
        return hours(challengeLifetime, 24 * 30);
    } else if (key == "local_challenge_window_hours") {
        return hours(localChallengeWindow, 24 * 30);
    } else if (key == "upload_grace_hours") {
        return hours(uploadGrace, 24 * 365);
    } else if (key == "skew_tolerance_seconds") {
        auto n = number<long>(key, value, 0, 86400);
        if (!n) {
            return Unexpected(n.error());
        }
        skewTolerance = std::chrono::seconds(*n);
    } else if (key == "rate_per_second" || key == "rate_burst") {
        auto n = number<long>(key, value, 1, 1000000);
        if (!n) {
            return Unexpected(n.error());
        }
        (key == "rate_per_second" ? ratePerSecond : rateBurst) = static_cast<double>(*n);
    } else if (key == "record_bytes_per_device_hour" || key == "first_visit_queries_per_device_day") {
        auto n = number<long>(key, value, 1, 1L << 40);
        if (!n) {
            return Unexpected(n.error());
        }
        (key == "record_bytes_per_device_hour" ? recordBytesPerDeviceHour : firstVisitQueriesPerDeviceDay) =
            static_cast<double>(*n);
    } else if (key == "enroll_per_minute" || key == "enroll_burst") {
        auto n = number<long>(key, value, 1, 10000);
        if (!n) {
            return Unexpected(n.error());
        }
        (key == "enroll_per_minute" ? enrollPerMinute : enrollBurst) = static_cast<double>(*n);
    } else if (key == "max_connections" || key == "max_unauthenticated_connections" ||
               key == "max_unauthenticated_per_prefix" || key == "max_connections_per_address") {
        auto n = number<long>(key, value, 1, 1000000);
        if (!n) {
            return Unexpected(n.error());
        }
        // max_connections_per_address: the name before prefixes (issue 21); same meaning now per prefix.
        (key == "max_connections"                   ? maxConnections
         : key == "max_unauthenticated_connections" ? maxUnauthenticatedConnections
                                                    : maxUnauthenticatedPerPrefix) = static_cast<std::size_t>(*n);
    } else if (key == "metrics_client_cert") {
        if (value != "required" && value != "none") {
            return Unexpected(Error{Errc::InvalidInput, "metrics_client_cert must be required or none", key});
        }
        metricsNeedCertificate = value == "required";
    } else if (key == "claim_purge_after_days") {
        auto n = number<long>(key, value, 0, 365);
        if (!n) {
            return Unexpected(n.error());
        }
        claimPurgeAfter = std::chrono::hours(24 * *n);
    } else if (key == "log_requests") {
        logRequests = value == "true" || value == "1" || value == "yes";
    } else if (key == "storage") {
        if (value != "sqlite" && value != "postgresql") {
            return Unexpected(Error{Errc::InvalidInput, "storage must be sqlite or postgresql", key});
        }
        storage = value == "sqlite" ? StorageBackend::Sqlite : StorageBackend::Postgresql;
    } else if (key == "postgres_conninfo") {
        postgresConninfo = value;
    } else if (key == "postgres_owner_conninfo") {
        postgresOwnerConninfo = value;
    } else if (key == "postgres_statement_timeout_ms") {
        auto n = number<long>(key, value, 100, 3600000);
        if (!n) {
            return Unexpected(n.error());
        }
        postgresStatementTimeout = std::chrono::milliseconds(*n);
    } else if (key == "oqs_req_dir") {
        oqsRequestDir = value;
    } else if (key == "oqs_res_dir") {
        oqsResultDir = value;
    } else if (key == "oqs_archive_days") {
        auto n = number<long>(key, value, 1, 3650);
        if (!n) {
            return Unexpected(n.error());
        }
        oqsArchiveDays = static_cast<int>(*n);
    } else if (key == "oqs_state_dir") {
        oqsStateDir = value;
    } else if (key == "medical_institution_code") {
        if (value.size() != 10 || value.find_first_not_of("0123456789") != std::string::npos) {
            return Unexpected(
                Error{Errc::InvalidInput, "medical_institution_code is the 10-digit 医療機関コード", key});
        }
        medicalInstitutionCode = value;
    } else if (key == "oqs_encoding") {
        if (value != "shift_jis" && value != "utf-8") {
            return Unexpected(Error{Errc::InvalidInput, "oqs_encoding must be shift_jis or utf-8", key});
        }
        oqsShiftJis = value == "shift_jis";
    } else if (key == "oqs_single_timeout_ms" || key == "oqs_bulk_timeout_ms" || key == "oqs_poll_ms") {
        auto n = number<long>(key, value, 1, 3600000);
        if (!n) {
            return Unexpected(n.error());
        }
        (key == "oqs_single_timeout_ms" ? oqsSingleTimeout
                                        : (key == "oqs_bulk_timeout_ms" ? oqsBulkTimeout : oqsPollFirst)) =
            std::chrono::milliseconds(*n);
    } else {
        return Unexpected(Error{Errc::InvalidInput, "unknown setting '" + key + "'", key});
    }
    return {};
}

Expected<void, Error> GatewayConfig::loadFile(const std::string& file)
{
    const std::string path = file.empty() ? dataDir + "/gateway.conf" : file;
    if (file.empty() && !base::fileExists(path)) {
        return {};
    }
    auto text = base::readSmallFile(path, 256 * 1024);
    if (!text) {
        return Unexpected(Error{Errc::InvalidInput, "cannot read the configuration " + path, "config"});
    }
    std::istringstream lines(*text);
    int number = 0;
    for (std::string line; std::getline(lines, line);) {
        ++number;
        line = trim(line.substr(0, line.find('#')));
        if (line.empty()) {
            continue;
        }
        const auto eq = line.find('=');
        if (eq == std::string::npos) {
            return Unexpected(
                Error{Errc::InvalidInput, path + ":" + std::to_string(number) + ": expected key = value", "config"});
        }
        if (auto done = set(trim(line.substr(0, eq)), trim(line.substr(eq + 1))); !done) {
            return Unexpected(Error{Errc::InvalidInput,
                                    path + ":" + std::to_string(number) + ": " + done.error().message,
                                    done.error().field});
        }
    }
    return {};
}

} // namespace zaitaku::sync::gateway
