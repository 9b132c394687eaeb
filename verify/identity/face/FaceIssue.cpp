#include "verify/identity/face/FaceIssue.h"

namespace zaitaku::identity::face
{

std::string_view guidanceEn(FaceIssue issue)
{
    switch (issue) {
    case FaceIssue::NoFace:
        return "no face in the picture: face the camera";
    case FaceIssue::MultipleFaces:
        return "only the patient in the frame";
    case FaceIssue::TooSmall:
        return "move closer";
    case FaceIssue::OutOfFrame:
        return "bring the whole face into the picture";
    case FaceIssue::NotFrontal:
        return "face the camera";
    case FaceIssue::TooDark:
        return "more light";
    case FaceIssue::TooBright:
        return "too bright or backlit: do not stand against the light";
    case FaceIssue::Blurry:
        return "blurred: hold still for a moment";
    case FaceIssue::FrozenFrame:
        return "the picture is frozen: check the camera";
    case FaceIssue::NoMotion:
        return "no natural movement: film the person, not a photo";
    case FaceIssue::CardPhotoUnusable:
        return "no clear face in the card's photo";
    }
    return "unknown";
}

} // namespace zaitaku::identity::face
