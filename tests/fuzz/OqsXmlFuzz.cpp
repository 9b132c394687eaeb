#include "OqsXmlFuzz.h"

#include "sync/oqs/MedicalInfoResults.h"
#include "sync/oqs/OqsRequests.h"
#include "sync/oqs/OqsResults.h"
#include "sync/oqs/Xml.h"

#include <cstdlib>
#include <string_view>

namespace zaitaku::fuzz
{

namespace
{
template <typename T> void check(const T& result)
{
    if (!result && result.error().message.empty()) {
        std::abort(); // every refusal must say why
    }
}
} // namespace

bool runOqsParsers(const std::uint8_t* data, std::size_t size)
{
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    check(sync::oqs::parseXml(bytes));
    check(sync::oqs::parseQualificationRequest(bytes));
    check(sync::oqs::parseBulkDownloadRequest(bytes));
    check(sync::oqs::parseConsentedBulkRequest(bytes));
    check(sync::oqs::parseCardQualificationRequest(bytes));
    check(sync::oqs::parseMedicalInfoRequest(bytes));
    auto result = sync::oqs::parseResult(bytes);
    check(result);
    if (result) {
        // What was accepted must also print and write back without failing hard.
        (void)sync::oqs::resultToJson(*result).dump(-1, ' ', false, nlohmann::json::error_handler_t::strict);
        (void)sync::oqs::buildResult(*result, sync::oqs::TextEncoding::Utf8);
    }
    // 薬剤・特定健診 results (issue 33): refusals say why; what is accepted writes back and reads again.
    bool medical = false;
    for (auto kind : {sync::oqs::MedicalInfoKind::Drugs, sync::oqs::MedicalInfoKind::Checkups}) {
        auto info = sync::oqs::parseMedicalInfoResult(bytes, kind);
        check(info);
        if (info) {
            medical = true;
            auto written = sync::oqs::buildMedicalInfoResult(*info, sync::oqs::TextEncoding::Utf8);
            if (written && !sync::oqs::parseMedicalInfoResult(*written, kind)) {
                std::abort(); // the writer's own output must read back
            }
        }
    }
    return result.has_value() || medical;
}

} // namespace zaitaku::fuzz
