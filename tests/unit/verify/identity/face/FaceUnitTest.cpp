// Face verification without sample photos: models and their checksums, the JPEG 2000 codec, the
// ROC and pairs file, alignment, the quality rules, the presentation check, the policy file and
// the frame sources.

#include "base/Clock.h"
#include "base/Random.h"
#include "device/camera/FrameSource.h"
#include "device/camera/ImageCodec.h"
#include "device/camera/StillImageSource.h"
#include "device/camera/SyntheticFrameSource.h"
#include "support/StoreFixture.h"
#include "verify/identity/face/FaceAligner.h"
#include "verify/identity/face/FaceEngine.h"
#include "verify/identity/face/FaceModels.h"
#include "verify/identity/face/FacePolicy.h"
#include "verify/identity/face/FaceQuality.h"
#include "verify/identity/face/PairsFile.h"
#include "verify/identity/face/PresentationCheck.h"
#include "verify/identity/face/Roc.h"

#include <cmath>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

namespace zaitaku::identity::face
{
namespace
{

namespace fs = std::filesystem;

camera::Image pattern(int width, int height, camera::PixelFormat format)
{
    camera::Image image(width, height, format);
    for (int y = 0; y < height; ++y) {
        for (int x = 0; x < width * image.channels(); ++x) {
            image.data()[static_cast<std::size_t>(y * width * image.channels() + x)] =
                static_cast<std::uint8_t>((x * 7 + y * 3) % 200 + 20);
        }
    }
    return image;
}

DetectedFace faceAt(float cx, float cy, float eyeDistance)
{
    // A frontal face: eyes level, nose below the eye centre, mouth lower still.
    DetectedFace f;
    const float e = eyeDistance;
    f.x = cx - e;
    f.y = cy - e;
    f.width = 2 * e;
    f.height = 2.4f * e;
    f.landmarks = {
        {{cx - e / 2, cy}, {cx + e / 2, cy}, {cx, cy + 0.55f * e}, {cx - 0.45f * e, cy + e}, {cx + 0.45f * e, cy + e}}};
    f.score = 0.9f;
    return f;
}

// --- models ---------------------------------------------------------------------------------------

TEST(FaceModels, TheShippedModelsPassTheirChecksumsAndLoad)
{
    auto models = verifyModels(defaultModelDir());
    ASSERT_TRUE(models) << models.error().message;
    EXPECT_EQ(models->recognizer.size(), kRecognizerModel.bytes);
    auto engine = FaceEngine::load(defaultModelDir());
    ASSERT_TRUE(engine) << engine.error().message;
    EXPECT_EQ(modelId(), "yunet-2022mar:50ef07f7+dlib-resnet-v1:c9b46d1f");
}

TEST(FaceModels, AMissingModelIsRefusedByName)
{
    const fs::path dir = testing::makeTempDir("zaitaku-models");
    fs::copy_file(fs::path(defaultModelDir()) / kDetectorModel.fileName, dir / kDetectorModel.fileName);
    auto models = verifyModels(dir.string());
    ASSERT_FALSE(models);
    EXPECT_EQ(models.error().code, Errc::ModelMissing);
    EXPECT_NE(models.error().message.find(std::string(kRecognizerModel.fileName)), std::string::npos);
    fs::remove_all(dir);
}

TEST(FaceModels, AnAlteredModelIsRefusedAndTheEngineDoesNotLoad)
{
    const fs::path dir = testing::makeTempDir("zaitaku-models");
    for (const auto& m : {kDetectorModel, kRecognizerModel}) {
        fs::copy_file(fs::path(defaultModelDir()) / m.fileName, dir / m.fileName);
    }
    {
        // One flipped bit in the recogniser's weights, size unchanged.
        std::fstream f(dir / kRecognizerModel.fileName, std::ios::in | std::ios::out | std::ios::binary);
        f.seekg(1'000'000);
        char c = 0;
        f.read(&c, 1);
        c = static_cast<char>(c ^ 0x01);
        f.seekp(1'000'000);
        f.write(&c, 1);
    }
    auto models = verifyModels(dir.string());
    ASSERT_FALSE(models);
    EXPECT_EQ(models.error().code, Errc::ModelAltered);
    EXPECT_NE(models.error().message.find("sha256"), std::string::npos) << models.error().message;
    EXPECT_FALSE(FaceEngine::load(dir.string()));

    fs::resize_file(dir / kDetectorModel.fileName, 1000); // truncated
    auto truncated = verifyModels(dir.string());
    ASSERT_FALSE(truncated);
    EXPECT_EQ(truncated.error().code, Errc::ModelAltered);
    EXPECT_NE(truncated.error().message.find("1000 bytes"), std::string::npos);
    fs::remove_all(dir);
}

// --- JPEG 2000 ------------------------------------------------------------------------------------

TEST(ImageCodec, AChipSizedGreyPhotoRoundTripsThroughJpeg2000WithinItsBudget)
{
    const camera::Image card = pattern(90, 120, camera::PixelFormat::Gray8);
    auto encoded = camera::encodeJpeg2000(card, 4096);
    ASSERT_TRUE(encoded) << encoded.error().message;
    EXPECT_LE(encoded->size(), 4096u);
    EXPECT_GT(encoded->size(), 1000u); // the budget is used, not wasted
    EXPECT_EQ(camera::sniffImageKind(*encoded), camera::ImageKind::Jp2);
    auto decoded = camera::decodeImage(*encoded, /*grey=*/true);
    ASSERT_TRUE(decoded) << decoded.error().message;
    EXPECT_EQ(decoded->width(), 90);
    EXPECT_EQ(decoded->height(), 120);
    EXPECT_EQ(decoded->channels(), 1);
    double squared = 0;
    for (std::size_t i = 0; i < decoded->sizeBytes(); ++i) {
        const double d = double(decoded->data()[i]) - double(card.data()[i]);
        squared += d * d;
    }
    const double psnr = 10 * std::log10(255.0 * 255.0 / (squared / double(decoded->sizeBytes()) + 1e-9));
    EXPECT_GT(psnr, 25.0);
}

TEST(ImageCodec, AHugeDeclaredSizeIsRefusedBeforeDecoding)
{
    // Security review L7: a hostile card (or face file) declares 60000×60000 pixels in a few bytes;
    // the decoder would allocate gigabytes before the size check after it.
    base::Bytes j2k{0xFF, 0x4F, 0xFF, 0x51, 0x00, 0x29, 0x00, 0x00};
    for (std::uint32_t v : {60000u, 60000u, 0u, 0u}) {
        for (int shift = 24; shift >= 0; shift -= 8) {
            j2k.push_back(static_cast<std::uint8_t>(v >> shift));
        }
    }
    j2k.resize(64, 0);
    auto codestream = camera::decodeImage(j2k);
    ASSERT_FALSE(codestream);
    EXPECT_NE(codestream.error().message.find("declares 60000×60000"), std::string::npos) << codestream.error().message;

    base::Bytes png{0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 'I', 'H', 'D',
                    'R',  0,   1,   0,   0,    0,    1,    0,    0, 8, 2, 0,  0,   0};
    auto wide = camera::decodeImage(png);
    ASSERT_FALSE(wide);
    EXPECT_NE(wide.error().message.find("declares 65536×65536"), std::string::npos) << wide.error().message;
    // A real chip photo still decodes: AChipSizedGreyPhotoRoundTripsThroughJpeg2000WithinItsBudget.
}

TEST(ImageCodec, BrokenPicturesGiveAClearErrorNamingTheFormat)
{
    const camera::Image card = pattern(90, 120, camera::PixelFormat::Gray8);
    auto encoded = camera::encodeJpeg2000(card, 4096);
    ASSERT_TRUE(encoded);
    const base::Bytes truncated(encoded->begin(), encoded->begin() + 60);
    auto bad = camera::decodeImage(truncated);
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().code, device::Errc::InvalidImage);
    EXPECT_NE(bad.error().message.find("JPEG 2000"), std::string::npos) << bad.error().message;

    const base::Bytes garbage{'G', 'I', 'F', '8', '9', 'a', 0, 0};
    auto unknown = camera::decodeImage(garbage);
    ASSERT_FALSE(unknown);
    EXPECT_NE(unknown.error().message.find("not a JPEG 2000, JPEG or PNG"), std::string::npos);
    EXPECT_FALSE(camera::decodeImage(base::Bytes{}));
    EXPECT_FALSE(camera::readImageFile("/nonexistent/photo.jp2"));
}

// --- ROC and pairs --------------------------------------------------------------------------------

TEST(Roc, TheThresholdForATargetFarIsKnownOnAKnownDistribution)
{
    // 1000 impostors at 0.000, 0.001, …, 0.999; 100 genuine at 0.980, 0.9802, …
    std::vector<ScoredPair> scores;
    for (int i = 0; i < 1000; ++i) {
        scores.push_back({i / 1000.0, false});
    }
    for (int i = 0; i < 100; ++i) {
        scores.push_back({0.98 + i * 0.0002, true});
    }
    const OperatingPoint p = operatingPoint(scores, 0.01);
    ASSERT_TRUE(p.supported);
    // At most 10 impostors may be accepted: 0.990…0.999. The 11th highest, 0.989, is refused.
    EXPECT_NEAR(p.threshold, 0.989001, 1e-9);
    EXPECT_DOUBLE_EQ(p.far, 0.01);
    // Genuine ≥ 0.989001: 0.98 + i·0.0002 ≥ 0.989001 ⇔ i ≥ 45.005 → 54 of 100.
    EXPECT_DOUBLE_EQ(p.tar, 0.54);

    const OperatingPoint strict = operatingPoint(scores, 0.001);
    EXPECT_NEAR(strict.threshold, 0.998001, 1e-9);
    EXPECT_DOUBLE_EQ(strict.far, 0.001);
    EXPECT_FALSE(operatingPoint(scores, 0.0001).supported); // 1000 impostors cannot show 1e-4

    const RocSummary roc = summariseRoc(scores, {0.1, 0.01});
    EXPECT_EQ(roc.genuine, 100u);
    EXPECT_EQ(roc.impostor, 1000u);
    ASSERT_EQ(roc.points.size(), 2u);
    EXPECT_DOUBLE_EQ(roc.points[1].tar, 0.54);
    EXPECT_GT(roc.eer, 0.0);
    EXPECT_LT(roc.eer, 0.05);
}

TEST(PairsFile, LfwLinesBecomePathsAndLabels)
{
    auto pairs = parsePairs("10\t300\nAbel_Pacheco\t1\t4\nAbdel_Madi_Shabneh\t1\tDean_Barker\t1\n\n# note\n", "/d");
    ASSERT_TRUE(pairs) << pairs.error().message;
    ASSERT_EQ(pairs->size(), 2u);
    EXPECT_TRUE((*pairs)[0].genuine);
    EXPECT_EQ((*pairs)[0].imageA, "/d/Abel_Pacheco/Abel_Pacheco_0001.jpg");
    EXPECT_EQ((*pairs)[0].imageB, "/d/Abel_Pacheco/Abel_Pacheco_0004.jpg");
    EXPECT_FALSE((*pairs)[1].genuine);
    EXPECT_EQ((*pairs)[1].imageB, "/d/Dean_Barker/Dean_Barker_0001.jpg");

    auto bad = parsePairs("a 1 2\nb x 3\n", "/d");
    ASSERT_FALSE(bad);
    EXPECT_NE(bad.error().message.find("line 2"), std::string::npos);
    EXPECT_FALSE(parsePairs("../etc 1 2\n", "/d"));
    EXPECT_FALSE(parsePairs("a 1 2 3 4 5\n", "/d"));
    EXPECT_FALSE(parsePairs("10 300\n", "/d")); // no pairs
}

// --- alignment ------------------------------------------------------------------------------------

TEST(FaceAligner, TheSimilarityTransformRecoversAKnownRotationScaleAndShift)
{
    // Landmarks = template rotated by 10°, scaled by 2, shifted by (30, 40).
    const double a = 2 * std::cos(0.1745329), b = 2 * std::sin(0.1745329);
    std::array<Point2, 5> moved{};
    for (std::size_t i = 0; i < 5; ++i) {
        const auto& p = kChipTemplate[i];
        moved[i] = {static_cast<float>(a * p.x - b * p.y + 30), static_cast<float>(b * p.x + a * p.y + 40)};
    }
    const auto m = similarityTransform(moved, kChipTemplate);
    for (std::size_t i = 0; i < 5; ++i) {
        const double x = m[0] * moved[i].x + m[1] * moved[i].y + m[2];
        const double y = m[3] * moved[i].x + m[4] * moved[i].y + m[5];
        EXPECT_NEAR(x, kChipTemplate[i].x, 1e-3);
        EXPECT_NEAR(y, kChipTemplate[i].y, 1e-3);
    }
    EXPECT_NEAR(std::hypot(m[0], m[3]), 0.5, 1e-6); // scale undone
}

TEST(FaceAligner, TheChipIs150SquareAndColourEvenFromAGreyPicture)
{
    const camera::Image grey = pattern(200, 200, camera::PixelFormat::Gray8);
    const camera::Image chip = alignToChip(grey, faceAt(100, 90, 50));
    EXPECT_EQ(chip.width(), kChipSize);
    EXPECT_EQ(chip.height(), kChipSize);
    EXPECT_EQ(chip.channels(), 3);
}

// --- quality --------------------------------------------------------------------------------------

TEST(FaceQuality, EachGeometricProblemHasItsOwnReason)
{
    const QualityLimits limits;
    EXPECT_EQ(assessGeometry(640, 480, {}, limits).issue, FaceIssue::NoFace);
    EXPECT_FALSE(assessGeometry(640, 480, {faceAt(320, 220, 80)}, limits).issue);
    EXPECT_EQ(assessGeometry(640, 480, {faceAt(200, 220, 80), faceAt(450, 220, 60)}, limits).issue,
              FaceIssue::MultipleFaces);
    // A small face far behind (a photo on the wall) is not a second person.
    EXPECT_FALSE(assessGeometry(640, 480, {faceAt(250, 220, 80), faceAt(560, 100, 20)}, limits).issue);
    EXPECT_EQ(assessGeometry(640, 480, {faceAt(320, 220, 15)}, limits).issue, FaceIssue::TooSmall);
    EXPECT_EQ(assessGeometry(640, 480, {faceAt(620, 220, 80)}, limits).issue, FaceIssue::OutOfFrame);

    DetectedFace turned = faceAt(320, 220, 80);
    turned.landmarks[kNoseTip].x += 30; // nose far off the eye centre: a turned head
    EXPECT_EQ(assessGeometry(640, 480, {turned}, limits).issue, FaceIssue::NotFrontal);
    DetectedFace tilted = faceAt(320, 220, 80);
    tilted.landmarks[kLeftEye].y += 40; // eye line at 45°
    EXPECT_EQ(assessGeometry(640, 480, {tilted}, limits).issue, FaceIssue::NotFrontal);
}

TEST(FaceQuality, DarkAndBlurredFramesAreCalledOut)
{
    camera::Image dark(640, 480, camera::PixelFormat::Bgr8); // all zeros
    EXPECT_EQ(assessFrame(dark, {faceAt(320, 220, 80)}, {}).issue, FaceIssue::TooDark);
    camera::Image flat(640, 480, camera::PixelFormat::Bgr8);
    std::fill(flat.data(), flat.data() + flat.sizeBytes(), std::uint8_t{128}); // lit, no detail at all
    EXPECT_EQ(assessFrame(flat, {faceAt(320, 220, 80)}, {}).issue, FaceIssue::Blurry);
    camera::Image bright(640, 480, camera::PixelFormat::Bgr8);
    std::fill(bright.data(), bright.data() + bright.sizeBytes(), std::uint8_t{250});
    EXPECT_EQ(assessFrame(bright, {faceAt(320, 220, 80)}, {}).issue, FaceIssue::TooBright);
}

// --- presentation check ---------------------------------------------------------------------------

std::vector<CaptureSample> capture(int frames, float sway, bool repeated)
{
    std::vector<CaptureSample> out;
    for (int i = 0; i < frames; ++i) {
        out.push_back({i * 66'666'667LL, faceAt(320 + sway * std::sin(i * 0.7f), 220, 80), repeated && i > 0, 0.95});
    }
    return out;
}

TEST(PresentationCheck, NaturalMovementPassesAFrozenOrMotionlessCaptureDoesNot)
{
    EXPECT_FALSE(checkPresentation(capture(8, 4.0f, false), 0.02));
    EXPECT_EQ(checkPresentation(capture(8, 4.0f, true), 0.02), FaceIssue::FrozenFrame);
    EXPECT_EQ(checkPresentation(capture(8, 0.2f, false), 0.02), FaceIssue::NoMotion);
    EXPECT_EQ(checkPresentation(capture(1, 4.0f, false), 0.02), FaceIssue::NoMotion);
}

// --- policy ---------------------------------------------------------------------------------------

TEST(FacePolicy, DefaultsAreFaceMdsOperatingPointAndFilesAreBoundToTheModel)
{
    EXPECT_DOUBLE_EQ(FacePolicy{}.threshold, 0.927);
    auto loose = parseFacePolicy(R"({"model_id":")" + modelId() + R"(","target_far":0.01,"frames":4})");
    ASSERT_TRUE(loose) << loose.error().message;
    EXPECT_DOUBLE_EQ(loose->threshold, 0.909);
    EXPECT_EQ(loose->framesWanted, 4);
    auto own = parseFacePolicy(facePolicyJson(0.9351, 0.001, "test"));
    ASSERT_TRUE(own) << own.error().message;
    EXPECT_DOUBLE_EQ(own->threshold, 0.9351);

    auto other = parseFacePolicy(R"({"model_id":"sface-2021dec:0ba9fbfa","threshold":0.363})");
    ASSERT_FALSE(other);
    EXPECT_EQ(other.error().field, "model_id");
    auto outOfRange = parseFacePolicy(R"({"model_id":")" + modelId() + R"(","threshold":1.5})");
    ASSERT_FALSE(outOfRange);
    EXPECT_EQ(outOfRange.error().field, "threshold");
    EXPECT_FALSE(parseFacePolicy("{not json"));
    EXPECT_FALSE(parseFacePolicy(R"({"model_id":")" + modelId() + R"(","target_far":0.05})"));
}

// --- frame sources --------------------------------------------------------------------------------

TEST(FrameSources, SyntheticFramesMoveFrozenOnesRepeatAndBothEnd)
{
    base::SeededRandom random(7);
    const camera::Image scene = pattern(160, 120, camera::PixelFormat::Bgr8);
    camera::SyntheticSettings settings;
    settings.frames = 3;
    camera::SyntheticFrameSource natural(scene, settings, random);
    auto a = natural.nextFrame(std::chrono::milliseconds(10));
    auto b = natural.nextFrame(std::chrono::milliseconds(10));
    ASSERT_TRUE(a && b);
    EXPECT_GT(b->capturedNs, a->capturedNs);
    EXPECT_FALSE(std::equal(a->data(), a->data() + a->sizeBytes(), b->data()));
    ASSERT_TRUE(natural.nextFrame(std::chrono::milliseconds(10)));
    auto end = natural.nextFrame(std::chrono::milliseconds(10));
    ASSERT_FALSE(end);
    EXPECT_EQ(end.error().code, device::Errc::EndOfStream);

    settings.motion = camera::SyntheticMotion::Frozen;
    settings.frames = 0;
    camera::SyntheticFrameSource frozen(scene, settings, random);
    auto c = frozen.nextFrame(std::chrono::milliseconds(10));
    auto d = frozen.nextFrame(std::chrono::milliseconds(10));
    ASSERT_TRUE(c && d);
    EXPECT_TRUE(std::equal(c->data(), c->data() + c->sizeBytes(), d->data()));
}

TEST(FrameSources, AMissingCameraOrVideoIsAClearError)
{
    base::SteadyClock clock;
    auto camera = camera::openFrameSource("camera:97", clock);
    ASSERT_FALSE(camera);
    EXPECT_EQ(camera.error().code, device::Errc::NoCamera);
    EXPECT_NE(camera.error().message.find("/dev/video97"), std::string::npos);
    auto video = camera::openFrameSource("/nonexistent/visit.avi", clock);
    ASSERT_FALSE(video);
    EXPECT_EQ(video.error().code, device::Errc::NoCamera);
    auto still = camera::openFrameSource("/nonexistent/face.png", clock);
    ASSERT_FALSE(still);
    EXPECT_EQ(still.error().code, device::Errc::InvalidImage);
}

} // namespace
} // namespace zaitaku::identity::face
