#include "ui/cli/FaceCommand.h"

#include "base/AtomicFile.h"
#include "base/Clock.h"
#include "device/camera/FrameSource.h"
#include "device/camera/ImageCodec.h"
#include "sync/SyncError.h"
#include "ui/cli/CommandOptions.h"
#include "verify/identity/face/CalibrationRun.h"
#include "verify/identity/face/CameraFaceVerifier.h"
#include "verify/identity/face/CardLikePhoto.h"
#include "verify/identity/face/FaceEngine.h"
#include "verify/identity/face/FaceModels.h"
#include "verify/identity/face/StillComparison.h"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <ostream>

namespace zaitaku::cli
{

namespace
{

using nlohmann::json;
namespace face = identity::face;

constexpr const char* kUsage =
    "usage: zaitaku-cli face <match|verify|calibrate|probe> [options]\n"
    "  match IMAGE_A IMAGE_B         one face in each picture: the same person?\n"
    "                                → {\"score\",\"threshold\",\"match\",\"reason\",…}; exit 0 compared,\n"
    "                                1 no decision (reason says what to change), 2 unreadable input\n"
    "  verify --card-photo FILE (--camera N | --video FILE | --image FILE) [--timeout-ms 5000]\n"
    "                                the chip photo against live frames: quality guidance on stderr,\n"
    "                                the decision (score, threshold, model id) on stdout\n"
    "  calibrate PAIRS_FILE --images DIR [--target-far 0.001] [--probe clean|card] [--card-bytes 4096]\n"
    "            [--write-policy FILE]\n"
    "                                the ROC of a facility's own labelled pairs (LFW pairs.txt format,\n"
    "                                DIR/<name>/<name>_NNNN.jpg) and the threshold for the target FAR\n"
    "  probe IMAGE --out FILE [--card-bytes 4096]\n"
    "                                a chip-like 90x120 JPEG 2000 photo of the picture's face (tests,\n"
    "                                demos; the appliance itself never writes face pictures)\n"
    "options: --models DIR (default: $ZAITAKU_MODEL_DIR or the build's models/), --policy FILE\n"
    "         (a facility's face policy), --threshold T (match only), --json\n";

const std::set<std::string> kValued{"--models", "--policy",     "--threshold",    "--card-photo", "--camera",
                                    "--video",  "--image",      "--timeout-ms",   "--images",     "--target-far",
                                    "--probe",  "--card-bytes", "--write-policy", "--out"};

int fail(CliContext& ctx,
         const CommandOptions& o,
         const std::string& message,
         const std::string& code,
         const std::string& field,
         int exitCode)
{
    return reportFailure(ctx, o, "face", CommandFailure{message, code, field, exitCode});
}

template <typename E> int fail(CliContext& ctx, const CommandOptions& o, const BasicError<E>& e)
{
    const bool bad =
        std::string(base::toCode(e.code)) == "invalid_input" || std::string(base::toCode(e.code)) == "invalid_image";
    return reportFailure(ctx, o, "face", failureOf(e, bad ? kExitBadInput : kExitFailure));
}

std::optional<double> parseNumber(const std::string& text)
{
    try {
        std::size_t used = 0;
        const double v = std::stod(text, &used);
        if (used == text.size() && std::isfinite(v)) {
            return v;
        }
    } catch (const std::exception&) {
    }
    return std::nullopt;
}

Expected<face::FacePolicy, identity::Error> policyOf(const CommandOptions& o)
{
    if (o.value("policy").empty()) {
        return face::FacePolicy{};
    }
    return face::loadFacePolicy(o.value("policy"));
}

Expected<std::unique_ptr<face::FaceEngine>, identity::Error> engineOf(const CommandOptions& o)
{
    return face::FaceEngine::load(o.value("models").empty() ? face::defaultModelDir() : o.value("models"));
}

json issueJson(face::FaceIssue issue)
{
    return {
        {"reason", face::guidanceEn(issue)}, {"reason_code", base::toCode(issue)}, {"reason_ja", base::labelOf(issue)}};
}

int match(CliContext& ctx, const CommandOptions& o)
{
    if (o.positional.size() != 2) {
        return fail(ctx, o, "face match takes two pictures", "invalid_input", "images", kExitBadInput);
    }
    auto policy = policyOf(o);
    if (!policy) {
        return fail(ctx, o, policy.error());
    }
    if (!o.value("threshold").empty()) {
        const auto t = parseNumber(o.value("threshold"));
        if (!t || *t <= 0 || *t >= 1) {
            return fail(ctx, o, "--threshold must be a number between 0 and 1", "invalid_input", "threshold",
                        kExitBadInput);
        }
        policy->threshold = *t;
    }
    auto a = camera::readImageFile(o.positional[0]);
    if (!a) {
        return fail(ctx, o, a.error());
    }
    auto b = camera::readImageFile(o.positional[1]);
    if (!b) {
        return fail(ctx, o, b.error());
    }
    auto engine = engineOf(o);
    if (!engine) {
        return fail(ctx, o, engine.error());
    }
    const face::StillComparison result = face::compareStills(**engine, *a, *b, policy->threshold, policy->limits);
    json out{{"score", result.score ? json(*result.score) : json(nullptr)},
             {"threshold", result.threshold},
             {"match", result.match},
             {"reason", nullptr},
             {"model_id", face::modelId()}};
    if (result.issue) {
        out.update(issueJson(*result.issue));
        out["image"] = result.issueImage;
    }
    if (o.has("--json")) {
        ctx.out << out.dump() << "\n";
    } else if (result.score) {
        ctx.out << (result.match ? "match" : "no match") << ": score " << *result.score << " (threshold "
                << result.threshold << ")\n";
    } else {
        ctx.out << "no decision: picture " << result.issueImage << ": " << face::guidanceEn(*result.issue) << " ("
                << base::labelOf(*result.issue) << ")\n";
    }
    return result.score ? kExitOk : kExitFailure;
}

int verify(CliContext& ctx, const CommandOptions& o)
{
    if (o.value("card-photo").empty()) {
        return fail(ctx, o, "--card-photo FILE is required", "invalid_input", "card_photo", kExitBadInput);
    }
    const int sources = !o.value("camera").empty() + !o.value("video").empty() + !o.value("image").empty();
    if (sources != 1) {
        return fail(ctx, o, "give one of --camera N, --video FILE or --image FILE", "invalid_input", "camera",
                    kExitBadInput);
    }
    std::chrono::milliseconds timeout{5000};
    if (!o.value("timeout-ms").empty()) {
        const auto t = parseNumber(o.value("timeout-ms"));
        if (!t || *t < 100 || *t > 60000) {
            return fail(ctx, o, "--timeout-ms must be from 100 to 60000", "invalid_input", "timeout_ms", kExitBadInput);
        }
        timeout = std::chrono::milliseconds(static_cast<int>(*t));
    }
    auto photo = base::readSmallFile(o.value("card-photo"), camera::kMaxEncodedImageBytes);
    if (!photo) {
        return fail(ctx, o, "cannot read the card photo " + o.value("card-photo"), "invalid_input", "card_photo",
                    kExitBadInput);
    }
    auto policy = policyOf(o);
    if (!policy) {
        return fail(ctx, o, policy.error());
    }
    base::SteadyClock clock;
    const std::string spec = !o.value("camera").empty()  ? "camera:" + o.value("camera")
                             : !o.value("video").empty() ? o.value("video")
                                                         : o.value("image");
    auto source = camera::openFrameSource(spec, clock);
    if (!source) {
        return fail(ctx, o, source.error());
    }
    auto engine = engineOf(o);
    if (!engine) {
        return fail(ctx, o, engine.error());
    }
    std::optional<face::FaceIssue> lastIssue;
    face::CameraFaceVerifier verifier(**engine, **source, clock, *policy, [&](const face::FaceProgress& p) {
        if (p.issue && p.issue != lastIssue) {
            ctx.err << "[face] " << base::labelOf(*p.issue) << " (" << face::guidanceEn(*p.issue) << ")\n";
        }
        lastIssue = p.issue;
    });
    const base::ByteView bytes(reinterpret_cast<const std::uint8_t*>(photo->data()), photo->size());
    auto decision = verifier.verify(bytes, timeout);
    if (!decision) {
        return fail(ctx, o, decision.error());
    }
    const json out{{"match", decision->match},      {"score", decision->score},   {"threshold", decision->threshold},
                   {"model_id", decision->modelId}, {"reason", decision->reason}, {"source", (*source)->describe()}};
    if (o.has("--json")) {
        ctx.out << out.dump() << "\n";
    } else {
        ctx.out << (decision->match ? "本人と確認しました (match)" : "本人と確認できません (no match)") << ": score "
                << decision->score << " (threshold " << decision->threshold << ")"
                << (decision->reason.empty() ? "" : " — " + decision->reason) << "\n";
    }
    return decision->match ? kExitOk : kExitFailure;
}

int calibrate(CliContext& ctx, const CommandOptions& o)
{
    if (o.positional.size() != 1 || o.value("images").empty()) {
        return fail(ctx, o, "usage: face calibrate PAIRS_FILE --images DIR", "invalid_input", "pairs", kExitBadInput);
    }
    double targetFar = 0.001;
    if (!o.value("target-far").empty()) {
        const auto t = parseNumber(o.value("target-far"));
        if (!t || *t <= 0 || *t >= 1) {
            return fail(ctx, o, "--target-far must be between 0 and 1", "invalid_input", "target_far", kExitBadInput);
        }
        targetFar = *t;
    }
    const std::string probe = o.value("probe").empty() ? "clean" : o.value("probe");
    if (probe != "clean" && probe != "card") {
        return fail(ctx, o, "--probe is clean or card", "invalid_input", "probe", kExitBadInput);
    }
    std::size_t cardBytes = 4096;
    if (!o.value("card-bytes").empty()) {
        const auto n = parseNumber(o.value("card-bytes"));
        if (!n || *n < 500 || *n > 65536) {
            return fail(ctx, o, "--card-bytes must be from 500 to 65536", "invalid_input", "card_bytes", kExitBadInput);
        }
        cardBytes = static_cast<std::size_t>(*n);
    }
    auto text = base::readSmallFile(o.positional[0], 16u << 20);
    if (!text) {
        return fail(ctx, o, "cannot read the pairs file " + o.positional[0], "invalid_input", "pairs", kExitBadInput);
    }
    auto pairs = face::parsePairs(*text, o.value("images"));
    if (!pairs) {
        return fail(ctx, o, pairs.error());
    }
    auto engine = engineOf(o);
    if (!engine) {
        return fail(ctx, o, engine.error());
    }
    const face::CalibrationScores scored = face::scorePairs(
        **engine, *pairs, probe == "card" ? face::ProbeMode::CardLike : face::ProbeMode::Clean, cardBytes);
    std::vector<double> fars{0.1, 0.01, 0.001, 0.0001};
    if (std::find(fars.begin(), fars.end(), targetFar) == fars.end()) {
        fars.push_back(targetFar);
    }
    const face::RocSummary roc = face::summariseRoc(scored.scores, fars);
    // The target is one of the summary's points (added above when it is not a standard rate).
    const face::OperatingPoint chosen =
        *std::find_if(roc.points.begin(), roc.points.end(), [&](const auto& p) { return p.targetFar == targetFar; });
    json points = json::array();
    for (const auto& p : roc.points) {
        points.push_back(
            p.supported
                ? json{{"target_far", p.targetFar}, {"threshold", p.threshold}, {"far", p.far}, {"tar", p.tar}}
                : json{{"target_far", p.targetFar}, {"supported", false}, {"why", "fewer than 1/FAR impostor pairs"}});
    }
    json out{{"pairs", pairs->size()},
             {"scored", scored.scores.size()},
             {"genuine", roc.genuine},
             {"impostor", roc.impostor},
             {"skipped", json(scored.skipped)},
             {"probe", probe},
             {"model_id", face::modelId()},
             {"eer", roc.eer},
             {"eer_threshold", roc.eerThreshold},
             {"roc", points},
             {"target_far", targetFar}};
    if (chosen.supported) {
        out["threshold"] = chosen.threshold;
        out["tar"] = chosen.tar;
        out["far"] = chosen.far;
    } else {
        out["threshold"] = nullptr;
    }
    if (!o.value("write-policy").empty()) {
        if (!chosen.supported) {
            return fail(ctx, o, "too few impostor pairs to set a threshold for FAR " + o.value("target-far"),
                        "invalid_input", "target_far", kExitBadInput);
        }
        const std::string policy =
            face::facePolicyJson(chosen.threshold, targetFar, "zaitaku-cli face calibrate " + o.positional[0]);
        auto written = base::writeFileAtomically(o.value("write-policy"), policy);
        if (!written) {
            return fail(ctx, o, sync::fromBase(written.error()));
        }
        out["policy_written"] = o.value("write-policy");
    }
    if (o.has("--json")) {
        ctx.out << out.dump() << "\n";
    } else {
        ctx.out << out.dump(2) << "\n";
    }
    return kExitOk;
}

int probe(CliContext& ctx, const CommandOptions& o)
{
    if (o.positional.size() != 1 || o.value("out").empty()) {
        return fail(ctx, o, "usage: face probe IMAGE --out FILE", "invalid_input", "out", kExitBadInput);
    }
    auto picture = camera::readImageFile(o.positional[0]);
    if (!picture) {
        return fail(ctx, o, picture.error());
    }
    auto engine = engineOf(o);
    if (!engine) {
        return fail(ctx, o, engine.error());
    }
    face::FaceAnalysis analysis = (*engine)->analyse(*picture, face::cardPhotoLimits());
    if (!analysis.assessment.face || analysis.assessment.issue) {
        const face::FaceIssue issue = analysis.assessment.issue.value_or(face::FaceIssue::NoFace);
        return fail(ctx, o, std::string(face::guidanceEn(issue)), std::string(base::toCode(issue)), "image",
                    kExitFailure);
    }
    const double budget = o.value("card-bytes").empty() ? 4096 : parseNumber(o.value("card-bytes")).value_or(-1);
    if (budget < 500 || budget > 65536) {
        return fail(ctx, o, "--card-bytes must be from 500 to 65536", "invalid_input", "card_bytes", kExitBadInput);
    }
    auto card = face::makeCardLikePhoto(*picture, *analysis.assessment.face, static_cast<std::size_t>(budget));
    if (!card) {
        return fail(ctx, o, card.error());
    }
    auto written = base::writeFileAtomically(o.value("out"), std::string(card->begin(), card->end()));
    if (!written) {
        return fail(ctx, o, sync::fromBase(written.error()));
    }
    const json out{{"out", o.value("out")},
                   {"bytes", card->size()},
                   {"width", face::kCardPhotoWidth},
                   {"height", face::kCardPhotoHeight}};
    ctx.out << (o.has("--json")
                    ? out.dump()
                    : "wrote " + o.value("out") + " (" + std::to_string(card->size()) + " bytes, 90x120 JPEG 2000)")
            << "\n";
    return kExitOk;
}

} // namespace

int runFace(const Args& args, CliContext& ctx)
{
    auto command = parseSubcommand(args, OptionSpec{{"--json"}, kValued, true}, "face", kUsage, ctx);
    if (!command.options) {
        return command.exitCode;
    }
    const CommandOptions& o = *command.options;
    if (o.sub == "match") {
        return match(ctx, o);
    }
    if (o.sub == "verify") {
        return verify(ctx, o);
    }
    if (o.sub == "calibrate") {
        return calibrate(ctx, o);
    }
    if (o.sub == "probe") {
        return probe(ctx, o);
    }
    ctx.err << "zaitaku-cli face: unknown sub-command '" << o.sub << "'\n" << kUsage;
    return kExitBadInput;
}

} // namespace zaitaku::cli
