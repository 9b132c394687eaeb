#pragma once

// Face verification as the visit engine sees it: the card's chip photo against the live camera.
// Implemented by verify/identity/face (OpenCV DNN); until a build has it, NoFaceVerifier reports
// the path unavailable and the engine offers PIN or visual instead. Images and embeddings stay in
// memory for the decision only; what is kept is the decision, the score, the threshold and the
// model id.

#include "base/Bytes.h"
#include "base/Expected.h"
#include "verify/identity/IdentityError.h"

#include <chrono>
#include <string>

namespace zaitaku::identity
{

struct FaceDecision
{
    bool match = false;
    double score = 0.0;
    double threshold = 0.0;
    std::string modelId;
    std::string reason; // guidance when no decision could be made ("move closer", …)
};

class FaceVerifier
{
public:
    virtual ~FaceVerifier() = default;

    virtual bool available() const = 0;
    virtual std::string unavailableReason() const = 0;
    // chipPhoto: the JPEG 2000 photo from the card's 券面AP (DF27). Errc::FaceCaptureFailed when no
    // usable frame came within the timeout.
    virtual Expected<FaceDecision, Error> verify(base::ByteView chipPhoto, std::chrono::milliseconds timeout) = 0;
};

// The face path is off: this build or this tablet has no verifier, or (with a reason) the camera
// or the models did not open; the screen shows why.
class NoFaceVerifier final : public FaceVerifier
{
public:
    NoFaceVerifier() = default;
    explicit NoFaceVerifier(std::string reason)
        : m_reason(std::move(reason))
    {}
    bool available() const override { return false; }
    std::string unavailableReason() const override;
    Expected<FaceDecision, Error> verify(base::ByteView, std::chrono::milliseconds) override;

private:
    std::string m_reason;
};

} // namespace zaitaku::identity
