#include "verify/identity/VisualCheck.h"

namespace zaitaku::identity
{

std::string visualStatement(const std::string& language)
{
    if (language == "en") {
        return "I confirmed by sight that the person present is the person in the photo on this My Number Card.";
    }
    return "マイナンバーカードの顔写真と来訪先のご本人が同一人物であることを目視で確認しました。";
}

Expected<model::VisualAttestation, Error>
attestation(const std::string& staffId, model::VisualReason reason, const std::string& language)
{
    if (staffId.empty()) {
        return Unexpected(Error{Errc::IncompleteAttestation, "a visual check names the staff who attest it", "staff"});
    }
    return model::VisualAttestation{staffId, reason, visualStatement(language)};
}

} // namespace zaitaku::identity
