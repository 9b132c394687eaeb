#include "verify/identity/FaceVerifier.h"

namespace zaitaku::identity
{

std::string NoFaceVerifier::unavailableReason() const
{
    return m_reason.empty() ? "this build has no face verifier (顔認証は未対応です): use the PIN or a visual check"
                            : m_reason;
}

Expected<FaceDecision, Error> NoFaceVerifier::verify(base::ByteView, std::chrono::milliseconds)
{
    return Unexpected(Error{Errc::FaceUnavailable, unavailableReason(), "method"});
}

} // namespace zaitaku::identity
