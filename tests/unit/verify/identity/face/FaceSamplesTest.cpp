// Face verification on real photographs: the six group photos of @vladmandic/face-api's demo (MIT,
// fetched by the face_samples fixture). Each usable face becomes a camera-like portrait, and a
// chip-like probe is derived from it as docs/design/FACE.md §4 did (ID framing, grey, 90x120, JPEG 2000 ≤ 4 KB).

#include "support/FaceSamples.h"

#include "device/camera/ImageCodec.h"
#include "device/camera/ImageMat.h"
#include "device/camera/StillImageSource.h"
#include "device/camera/SyntheticFrameSource.h"
#include "device/camera/VideoFileSource.h"
#include "support/StoreFixture.h"
#include "support/Subprocess.h"
#include "verify/identity/face/CameraFaceVerifier.h"
#include "verify/identity/face/CardLikePhoto.h"
#include "verify/identity/face/FaceEngine.h"
#include "verify/identity/face/FaceModels.h"
#include "verify/identity/face/PairsFile.h"
#include "verify/identity/face/StillComparison.h"

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

#include <gtest/gtest.h>

namespace zaitaku::identity::face
{
namespace
{

namespace fs = std::filesystem;

class FaceSamplesTest : public ::testing::Test
{
protected:
    static void SetUpTestSuite()
    {
        ASSERT_FALSE(test::faceSamplesDir().empty()) << "ZAITAKU_FACE_SAMPLES is not set (fixture face_samples)";
        auto engine = FaceEngine::load(defaultModelDir());
        ASSERT_TRUE(engine) << engine.error().message;
        s_engine = std::move(*engine);
        s_portraits = test::usablePortraits(*s_engine);
    }
    static void TearDownTestSuite()
    {
        s_portraits.clear();
        s_engine.reset();
    }
    void SetUp() override
    {
        ASSERT_TRUE(s_engine);
        // The six photos hold 22 faces; turned, tilted or crowded ones are not usable portraits.
        ASSERT_GE(s_portraits.size(), 8u);
    }

    static base::Bytes cardOf(const test::Portrait& p)
    {
        auto card = makeCardLikePhoto(p.frame, p.face, 4096);
        EXPECT_TRUE(card) << card.error().message;
        return card ? *card : base::Bytes{};
    }

    Expected<FaceDecision, Error> verifyWith(const base::Bytes& card, camera::FrameSource& source)
    {
        CameraFaceVerifier verifier(*s_engine, source, monotonic, FacePolicy{},
                                    [this](const FaceProgress& p) { progress.push_back(p.issue); });
        return verifier.verify(card, std::chrono::seconds(20));
    }

    static std::unique_ptr<FaceEngine> s_engine;
    static std::vector<test::Portrait> s_portraits;
    base::SteadyClock monotonic;
    base::SeededRandom random{42};
    std::vector<std::optional<FaceIssue>> progress;
};

std::unique_ptr<FaceEngine> FaceSamplesTest::s_engine;
std::vector<test::Portrait> FaceSamplesTest::s_portraits;

TEST_F(FaceSamplesTest, AChipDegradedCropMatchesItsSourceFace)
{
    for (const auto& p : s_portraits) {
        const base::Bytes card = cardOf(p);
        EXPECT_LE(card.size(), 4096u) << p.id;
        EXPECT_GE(card.size(), 3000u) << p.id; // chip-like: 3–5 KB
        auto decoded = camera::decodeImage(card, /*grey=*/true);
        ASSERT_TRUE(decoded) << p.id;
        EXPECT_EQ(decoded->width(), 90);
        EXPECT_EQ(decoded->height(), 120);
        const StillComparison result = compareStills(*s_engine, *decoded, p.frame, kThresholdFar01Percent);
        ASSERT_TRUE(result.score) << p.id << ": " << guidanceEn(result.issue.value_or(FaceIssue::NoFace));
        EXPECT_TRUE(result.match) << p.id << " scored " << *result.score;
    }
}

TEST_F(FaceSamplesTest, DifferentPeopleScoreBelowThePersonAndAreRefusedAtTheDefaultThreshold)
{
    std::vector<FaceEmbedding> cards, lives;
    for (const auto& p : s_portraits) {
        auto card = s_engine->analyseCardPhoto(cardOf(p));
        ASSERT_TRUE(card) << p.id << ": " << card.error().message;
        cards.push_back(*card);
        lives.push_back(*s_engine->analyse(p.frame, {}).embedding);
    }
    int impostors = 0, accepted = 0;
    for (std::size_t i = 0; i < cards.size(); ++i) {
        const double own = cosineSimilarity(cards[i], lives[i]);
        for (std::size_t k = 0; k < lives.size(); ++k) {
            if (k == i) {
                continue;
            }
            const double other = cosineSimilarity(cards[i], lives[k]);
            EXPECT_LT(other, own) << s_portraits[i].id << "'s card is closer to " << s_portraits[k].id;
            ++impostors;
            if (other >= kThresholdFar01Percent) {
                ++accepted;
                std::printf("false accept at 0.927: card %s vs %s: %.4f\n", s_portraits[i].id.c_str(),
                            s_portraits[k].id.c_str(), other);
            }
        }
    }
    // docs/design/FACE.md's LFW threshold is for a mixed population; among these photos (several women of
    // similar age and ancestry, same lighting) a few impostor pairs come close. docs/FACE.md
    // records the figure; the bound here catches a broken alignment or model, which pushes every
    // impostor up together.
    std::printf("impostor pairs %d, accepted at 0.927: %d\n", impostors, accepted);
    EXPECT_LE(accepted * 100, impostors * 3);
}

TEST_F(FaceSamplesTest, NoFaceTwoFacesAndATinyFaceGiveTheirReasons)
{
    const test::Portrait& p = s_portraits.front();
    // An empty room: a lit wall with a door frame and a picture frame, nobody in it.
    camera::Image blank(640, 480, camera::PixelFormat::Bgr8);
    cv::Mat room = camera::asMat(blank);
    for (int y = 0; y < room.rows; ++y) {
        room.row(y).setTo(cv::Scalar(150 + y / 8, 160 + y / 10, 170));
    }
    cv::rectangle(room, {60, 80}, {200, 470}, cv::Scalar(60, 80, 110), 12);
    cv::rectangle(room, {380, 120}, {560, 260}, cv::Scalar(40, 40, 40), 6);
    StillComparison none = compareStills(*s_engine, blank, p.frame, kThresholdFar01Percent);
    EXPECT_FALSE(none.score);
    EXPECT_EQ(none.issue, FaceIssue::NoFace);
    EXPECT_EQ(none.issueImage, "a");

    // A whole group photo: several people.
    StillComparison group = compareStills(*s_engine, p.frame, test::loadSample(3), kThresholdFar01Percent);
    EXPECT_EQ(group.issue, FaceIssue::MultipleFaces);
    EXPECT_EQ(group.issueImage, "b");
    EXPECT_EQ(base::labelOf(*group.issue), "ご本人だけが写るようにしてください");

    // The same person from far away.
    StillComparison tiny = compareStills(*s_engine, p.frame, test::shrunkOnCanvas(p.frame, 0.18), 0.927);
    EXPECT_EQ(tiny.issue, FaceIssue::TooSmall);
    EXPECT_EQ(guidanceEn(*tiny.issue), "move closer");
}

TEST_F(FaceSamplesTest, TheLivePersonMatchesTheirCardOverSeveralMovingFrames)
{
    const test::Portrait& p = s_portraits.front();
    camera::SyntheticFrameSource live(p.frame, {}, random);
    auto decision = verifyWith(cardOf(p), live);
    ASSERT_TRUE(decision) << decision.error().message;
    EXPECT_TRUE(decision->match) << decision->reason;
    EXPECT_GE(decision->score, 0.927);
    EXPECT_DOUBLE_EQ(decision->threshold, 0.927);
    EXPECT_EQ(decision->modelId, modelId());
    EXPECT_GE(std::count(progress.begin(), progress.end(), std::nullopt), 5);
}

TEST_F(FaceSamplesTest, SomeoneElseIsNotTheCardHolder)
{
    camera::SyntheticFrameSource live(s_portraits.back().frame, {}, random);
    auto decision = verifyWith(cardOf(s_portraits.front()), live);
    ASSERT_TRUE(decision) << decision.error().message;
    EXPECT_FALSE(decision->match);
    EXPECT_LT(decision->score, decision->threshold);
    EXPECT_EQ(decision->reason, "顔認証で本人と確認できませんでした");
}

TEST_F(FaceSamplesTest, AFrozenFeedOrAStillPictureOfTheCardHolderIsRefused)
{
    const test::Portrait& p = s_portraits.front();
    camera::SyntheticSettings frozenSettings;
    frozenSettings.motion = camera::SyntheticMotion::Frozen;
    camera::SyntheticFrameSource frozen(p.frame, frozenSettings, random);
    auto decision = verifyWith(cardOf(p), frozen);
    ASSERT_TRUE(decision) << decision.error().message;
    EXPECT_FALSE(decision->match);
    EXPECT_GE(decision->score, 0.927); // the face itself would have matched
    EXPECT_EQ(decision->reason, base::labelOf(FaceIssue::FrozenFrame));

    camera::StillImageSource still(p.frame, "portrait", std::chrono::milliseconds(66));
    auto fromStill = verifyWith(cardOf(p), still);
    ASSERT_TRUE(fromStill);
    EXPECT_FALSE(fromStill->match);
}

TEST_F(FaceSamplesTest, NoUsableFrameEndsWithTheMostFrequentGuidance)
{
    const test::Portrait& p = s_portraits.front();
    camera::SyntheticSettings settings;
    settings.frames = 20;
    camera::SyntheticFrameSource far(test::shrunkOnCanvas(p.frame, 0.18), settings, random);
    auto decision = verifyWith(cardOf(p), far);
    ASSERT_FALSE(decision);
    EXPECT_EQ(decision.error().code, Errc::FaceCaptureFailed);
    EXPECT_EQ(decision.error().field, "too_small");
    EXPECT_NE(decision.error().message.find("もう少し近づいてください"), std::string::npos);
}

TEST_F(FaceSamplesTest, AVideoFileOfThePersonMatches)
{
    const test::Portrait& p = s_portraits.front();
    const fs::path dir = testing::makeTempDir("zaitaku-face-video");
    const std::string path = (dir / "visit.avi").string();
    {
        cv::VideoWriter writer(path, cv::VideoWriter::fourcc('M', 'J', 'P', 'G'), 15.0, {480, 640});
        ASSERT_TRUE(writer.isOpened());
        camera::SyntheticFrameSource frames(p.frame, {}, random);
        for (int i = 0; i < 40; ++i) {
            writer.write(camera::asMat(*frames.nextFrame(std::chrono::milliseconds(10))));
        }
    }
    auto video = camera::VideoFileSource::open(path);
    ASSERT_TRUE(video) << video.error().message;
    auto decision = verifyWith(cardOf(p), **video);
    ASSERT_TRUE(decision) << decision.error().message;
    EXPECT_TRUE(decision->match) << decision->reason << " " << decision->score;
    fs::remove_all(dir);
}

} // namespace
} // namespace zaitaku::identity::face

namespace zaitaku::identity::face
{
namespace
{

// --- zaitaku-cli face ------------------------------------------------------------------------------

class FaceCliTest : public FaceSamplesTest
{
protected:
    void SetUp() override
    {
        FaceSamplesTest::SetUp();
        dir = testing::makeTempDir("zaitaku-face-cli");
    }
    void TearDown() override { fs::remove_all(dir); }

    test::ProcessResult cli(std::vector<std::string> args)
    {
        args.insert(args.begin(), ZAITAKU_CLI_PATH);
        return test::runProcess(args, "", std::chrono::seconds(120));
    }
    std::string save(const std::string& name, const camera::Image& picture)
    {
        const std::string path = (dir / name).string();
        fs::create_directories(fs::path(path).parent_path());
        EXPECT_TRUE(cv::imwrite(path, camera::asMat(picture)));
        return path;
    }

    fs::path dir;
};

TEST_F(FaceCliTest, MatchPrintsScoreThresholdDecisionAndReason)
{
    const test::Portrait& p = s_portraits.front();
    const std::string live = save("live.png", p.frame);
    const std::string card = (dir / "card.jp2").string();
    auto probe = cli({"face", "probe", live, "--out", card, "--json"});
    ASSERT_EQ(probe.exitCode, 0) << probe.out << probe.err;
    EXPECT_LE(nlohmann::json::parse(probe.out)["bytes"].get<int>(), 4096);

    auto same = cli({"face", "match", card, live, "--json"});
    ASSERT_EQ(same.exitCode, 0) << same.out << same.err;
    const auto j = nlohmann::json::parse(same.out);
    EXPECT_TRUE(j["match"].get<bool>());
    EXPECT_GE(j["score"].get<double>(), 0.927);
    EXPECT_DOUBLE_EQ(j["threshold"].get<double>(), 0.927);
    EXPECT_TRUE(j["reason"].is_null());

    auto other = cli({"face", "match", card, save("other.png", s_portraits.back().frame), "--json"});
    ASSERT_EQ(other.exitCode, 0) << other.err;
    EXPECT_FALSE(nlohmann::json::parse(other.out)["match"].get<bool>());

    auto group = cli({"face", "match", card, test::faceSamplesDir() + "/sample3.jpg", "--json"});
    EXPECT_EQ(group.exitCode, 1);
    const auto g = nlohmann::json::parse(group.out);
    EXPECT_FALSE(g["match"].get<bool>());
    EXPECT_TRUE(g["score"].is_null());
    EXPECT_EQ(g["reason"], "only the patient in the frame");
    EXPECT_EQ(g["image"], "b");

    auto broken = cli({"face", "match", (dir / "missing.jp2").string(), live, "--json"});
    EXPECT_EQ(broken.exitCode, 2);
    EXPECT_EQ(nlohmann::json::parse(broken.out)["code"], "invalid_image");
}

TEST_F(FaceCliTest, CalibrateFindsTheThresholdOfAKnownPairsFile)
{
    // An LFW-style set: each portrait is a person with two pictures (the portrait and a flatter,
    // slightly smaller copy); genuine pairs are a person's two pictures, impostors every cross pair.
    const std::size_t people = std::min<std::size_t>(s_portraits.size(), 8);
    std::string pairs = "1\t" + std::to_string(people) + "\n";
    std::vector<double> impostorScores;
    std::vector<double> genuineScores;
    for (std::size_t i = 0; i < people; ++i) {
        const std::string name = "person" + std::to_string(i);
        save(name + "/" + name + "_0001.jpg", s_portraits[i].frame);
        cv::Mat variant;
        camera::asMat(s_portraits[i].frame).convertTo(variant, -1, 0.9, 20);
        cv::resize(variant, variant, {432, 576});
        save(name + "/" + name + "_0002.jpg", camera::fromMat(variant));
        pairs += name + "\t1\t2\n";
    }
    for (std::size_t i = 0; i < people; ++i) {
        for (std::size_t k = 0; k < people; ++k) {
            if (i != k) {
                pairs += "person" + std::to_string(i) + "\t1\tperson" + std::to_string(k) + "\t2\n";
            }
        }
    }
    const std::string pairsFile = (dir / "pairs.txt").string();
    std::ofstream(pairsFile) << pairs;

    // The expected answer, computed pair by pair with `face match`'s own numbers.
    auto scoreOf = [&](const std::string& a, const std::string& b) {
        auto r = cli({"face", "match", a, b, "--json"});
        EXPECT_EQ(r.exitCode, 0) << r.out << r.err;
        return nlohmann::json::parse(r.out)["score"].get<double>();
    };
    const std::string root = dir.string();
    for (std::size_t i = 0; i < people; ++i) {
        const std::string n = "person" + std::to_string(i);
        genuineScores.push_back(scoreOf(lfwImagePath(root, n, 1), lfwImagePath(root, n, 2)));
        for (std::size_t k = 0; k < people; ++k) {
            if (i != k) {
                impostorScores.push_back(
                    scoreOf(lfwImagePath(root, n, 1), lfwImagePath(root, "person" + std::to_string(k), 2)));
            }
        }
    }
    std::sort(impostorScores.begin(), impostorScores.end(), std::greater<>());
    // FAR 0.1 over N impostors: floor(0.1·N) may be accepted; the next one sets the threshold.
    const std::size_t allowed = impostorScores.size() / 10;
    const double expected = impostorScores[allowed] + 1e-6;
    const double expectedTar =
        double(std::count_if(genuineScores.begin(), genuineScores.end(), [&](double s) { return s >= expected; })) /
        double(genuineScores.size());

    const std::string policy = (dir / "face-policy.json").string();
    auto run = cli(
        {"face", "calibrate", pairsFile, "--images", root, "--target-far", "0.1", "--write-policy", policy, "--json"});
    ASSERT_EQ(run.exitCode, 0) << run.out << run.err;
    const auto j = nlohmann::json::parse(run.out);
    EXPECT_EQ(j["genuine"].get<std::size_t>(), people);
    EXPECT_EQ(j["impostor"].get<std::size_t>(), people * (people - 1));
    EXPECT_TRUE(j["skipped"].empty());
    EXPECT_NEAR(j["threshold"].get<double>(), expected, 1e-9);
    EXPECT_NEAR(j["tar"].get<double>(), expectedTar, 1e-12);
    EXPECT_LE(j["far"].get<double>(), 0.1);
    EXPECT_EQ(j["roc"][3]["supported"], false); // 56 impostors cannot measure FAR 1e-4

    // The policy it wrote is accepted by `face match`, and carries the calibrated threshold.
    auto withPolicy = cli({"face", "match", lfwImagePath(root, "person0", 1), lfwImagePath(root, "person0", 2),
                           "--policy", policy, "--json"});
    ASSERT_EQ(withPolicy.exitCode, 0) << withPolicy.out << withPolicy.err;
    EXPECT_NEAR(nlohmann::json::parse(withPolicy.out)["threshold"].get<double>(), expected, 1e-9);

    auto bad = cli({"face", "calibrate", pairsFile, "--images", root, "--target-far", "2", "--json"});
    EXPECT_EQ(bad.exitCode, 2);
}

} // namespace
} // namespace zaitaku::identity::face
