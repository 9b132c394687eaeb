#include "sync/client/GatewayRequery.h"

namespace zaitaku::sync::client
{

GatewayRequery::GatewayRequery(store::Store& store, base::RandomSource& random, SyncOptions options)
    : m_store(store)
    , m_random(random)
    , m_options(options)
{}

SyncOptions GatewayRequery::doorOptions()
{
    SyncOptions options;
    options.timeouts.connect = std::chrono::seconds(3);
    options.timeouts.io = std::chrono::seconds(10);
    options.oqsWait = std::chrono::seconds(30);
    return options;
}

Expected<visit::RequeryAnswer, visit::Error>
GatewayRequery::requery(const std::string& patientId, model::ServiceKind kind, const base::Date& date)
{
    SyncEngine engine(m_store, m_random, m_options);
    auto response = engine.requery(patientId, std::string(base::toCode(kind)), date);
    if (!response) {
        return Unexpected(visit::Error{visit::Errc::GatewayUnavailable,
                                       "the gateway could not be asked: " + response.error().message, "requery"});
    }
    visit::RequeryAnswer answer;
    answer.allowed = response->allowed;
    answer.reason = response->reason;
    answer.reasonJa = response->reasonJa;
    if (response->allowed && response->snapshot && response->receivedAt) {
        answer.fresh = visit::CachedResult{std::move(*response->snapshot), *response->receivedAt};
    }
    return answer;
}

} // namespace zaitaku::sync::client
