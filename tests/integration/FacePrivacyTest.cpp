// Privacy of a face visit: the real engine, store and virtual card, a face decision, and then a
// scan of every table and of the temporary directory. As root (CI) the program gets a /tmp of its
// own (a private mount namespace with a tmpfs), so the scan sees exactly what this process wrote,
// whatever else runs on the machine; otherwise it runs alone (RUN_SERIAL) on the shared /tmp.

#include "device/camera/ImageCodec.h"
#include "device/camera/ImageMat.h"
#include "device/camera/SyntheticFrameSource.h"
#include "device/mynacard/VerificationCodeB.h"
#include "support/FaceSamples.h"
#include "support/VisitFixture.h"
#include "verify/identity/face/CameraFaceVerifier.h"
#include "verify/identity/face/FaceEngine.h"
#include "verify/identity/face/FaceModels.h"

#include <algorithm>
#include <fcntl.h>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <sched.h>
#include <set>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

namespace zaitaku::identity::face
{
namespace
{

namespace fs = std::filesystem;

// --- privacy: a face visit leaves a score, a threshold and a model id, never a picture ------------

// Directories of the original /tmp made visible again inside the private one (a checkout or build
// tree that lives under /tmp): the test reads them, and the scan leaves them out.
std::vector<std::string> g_keptUnderTmp;

std::set<std::string> filesUnder(const fs::path& dir)
{
    std::set<std::string> out;
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(dir, fs::directory_options::skip_permission_denied, ec);
         it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (!ec && it->is_regular_file(ec)) {
            out.insert(it->path().string());
        }
    }
    return out;
}

class FaceVisitPrivacyTest : public testing::VisitTest
{};

TEST_F(FaceVisitPrivacyTest, AFaceVisitStoresTheDecisionAndWritesNoPictureAnywhere)
{
    ASSERT_FALSE(test::faceSamplesDir().empty());
    auto engine = FaceEngine::load(defaultModelDir());
    ASSERT_TRUE(engine) << engine.error().message;
    auto portraits = test::usablePortraits(**engine);
    ASSERT_FALSE(portraits.empty());
    const test::Portrait& p = portraits.front();

    // The virtual card carries the person's photo (the card image is built before the scan starts).
    const fs::path photoDir = testing::makeTempDir("zaitaku-card-photo");
    const std::string photo = (photoDir / "holder.png").string();
    ASSERT_TRUE(cv::imwrite(photo, camera::asMat(p.frame)));
    hardware::Persona persona = hardware::builtinPersona("valid").value();
    persona.photoPath = photo;
    persona.birthdate = base::Date::parse("1950-03-10").value(); // p-first's: the 券面 is checked against the roster
    presentCard(persona);
    fs::remove_all(photoDir);

    const fs::path tmp = fs::temp_directory_path();
    const std::set<std::string> before = filesUnder(tmp);
    const std::set<std::string> storeBefore = filesUnder(dir);

    camera::SyntheticFrameSource live(p.frame, {}, random);
    base::SteadyClock steady;
    CameraFaceVerifier verifier(**engine, live, steady, FacePolicy{});
    face = &verifier;
    visit::VisitScript script;
    script.methods = {model::ConfirmMethod::Face};
    auto codeB = device::makeVerificationCodeB(persona.birthdate, persona.cardExpiry.year(), persona.securityCode);
    ASSERT_TRUE(codeB);
    script.codeB = std::move(*codeB);
    visit::ScriptedOperator op(std::move(script));
    auto outcome = run(request("p-first"), op);
    face = &noFace;
    ASSERT_TRUE(outcome) << outcome.error().message;
    ASSERT_EQ(outcome->state, visit::VisitState::Committed);

    // The evidence: the decision's numbers and the model, nothing else about the face.
    auto& db = store->db();
    auto bundle = db.queryText("SELECT bundle_json FROM evidence WHERE method = 'face_match'");
    ASSERT_TRUE(bundle) << bundle.error().message;
    const auto evidence = nlohmann::json::parse(*bundle);
    ASSERT_TRUE(evidence.contains("face")) << *bundle;
    EXPECT_GE(evidence["face"]["score"].get<double>(), 0.927);
    EXPECT_EQ(evidence["face"]["threshold"].get<double>(), 0.927);
    EXPECT_EQ(evidence["face"]["model_id"].get<std::string>(), modelId());

    // Every value of every table: no picture (JPEG 2000, JPEG, PNG) and no blob an embedding fits in.
    auto tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'");
    ASSERT_TRUE(tables);
    std::vector<std::string> names;
    ASSERT_TRUE(tables->forEachRow([&](sync::sql::Statement& row) { names.push_back(row.text(0)); }));
    int values = 0;
    for (const auto& table : names) {
        auto columns = db.prepare("SELECT name, type FROM pragma_table_info('" + table + "')");
        ASSERT_TRUE(columns);
        std::vector<std::pair<std::string, std::string>> cols;
        ASSERT_TRUE(
            columns->forEachRow([&](sync::sql::Statement& row) { cols.emplace_back(row.text(0), row.text(1)); }));
        for (const auto& [column, type] : cols) {
            auto cells = db.prepare("SELECT CAST(\"" + column + "\" AS BLOB) FROM \"" + table + "\"");
            ASSERT_TRUE(cells);
            ASSERT_TRUE(cells->forEachRow([&](sync::sql::Statement& row) {
                const auto bytes = row.blob(0);
                ++values;
                EXPECT_EQ(camera::sniffImageKind(bytes), camera::ImageKind::Unknown) << table << "." << column;
                const std::string text(bytes.begin(), bytes.end());
                EXPECT_EQ(text.find("jP  "), std::string::npos) << table << "." << column;
                EXPECT_EQ(text.find("\xFF\x4F\xFF\x51"), std::string::npos) << table << "." << column;
                if (type == "BLOB") {
                    EXPECT_LT(bytes.size(), 4u * 128u) << table << "." << column;
                }
            }));
        }
    }
    EXPECT_GT(values, 50);

    // No file appeared in the temporary directory (OpenCV's decoders may spill to temp files) and
    // the store's folder holds the same files as before.
    std::set<std::string> after = filesUnder(tmp);
    for (const auto& f : storeBefore) {
        after.erase(f);
    }
    std::vector<std::string> added;
    std::set_difference(after.begin(), after.end(), before.begin(), before.end(), std::back_inserter(added));
    std::erase_if(added, [&](const std::string& f) {
        return f.rfind(dir.string(), 0) == 0 ||
               std::any_of(g_keptUnderTmp.begin(), g_keptUnderTmp.end(),
                           [&](const std::string& k) { return f.rfind(k + "/", 0) == 0; });
    });
    EXPECT_TRUE(added.empty()) << "new file: " << (added.empty() ? "" : added.front());
    EXPECT_EQ(filesUnder(dir), storeBefore);
}

} // namespace
} // namespace zaitaku::identity::face

namespace
{

// The top-level entry of /tmp that `path` lives in ("/tmp/ci-clone"), or "" when it is elsewhere.
std::string topUnderTmp(const std::string& path)
{
    if (path.rfind("/tmp/", 0) != 0) {
        return {};
    }
    const auto slash = path.find('/', 5);
    return path.substr(0, slash);
}

// As root: a private mount namespace with a fresh tmpfs on /tmp, so the scan sees exactly what
// this process writes there whatever else runs on the machine. What the test needs from the old
// /tmp (a checkout or build tree under /tmp) is bound back in and left out of the scan.
bool privateTmp(char** argv)
{
    std::set<std::string> keep;
    std::error_code ec;
    for (const std::string& path :
         {std::filesystem::canonical("/proc/self/exe", ec).string(), std::filesystem::absolute(argv[0], ec).string(),
          std::string(ZAITAKU_SOURCE_DIR), std::string(ZAITAKU_TEST_PKI_DIR),
          std::string(std::getenv("ZAITAKU_FACE_SAMPLES") ? std::getenv("ZAITAKU_FACE_SAMPLES") : "")}) {
        if (auto top = topUnderTmp(path); !top.empty()) {
            keep.insert(top);
        }
    }
    if (unshare(CLONE_NEWNS) != 0 || mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) {
        return false;
    }
    const int oldTmp = open("/tmp", O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (oldTmp < 0 || mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "size=512m,mode=1777") != 0) {
        return false;
    }
    for (const auto& top : keep) {
        const std::string from = "/proc/self/fd/" + std::to_string(oldTmp) + top.substr(4);
        if (mkdir(top.c_str(), 0755) != 0 ||
            mount(from.c_str(), top.c_str(), nullptr, MS_BIND | MS_REC, nullptr) != 0) {
            return false;
        }
        zaitaku::identity::face::g_keptUnderTmp.push_back(top);
    }
    close(oldTmp);
    return true;
}

} // namespace

int main(int argc, char** argv)
{
    // Before any thread exists (unshare(CLONE_NEWNS) refuses a multithreaded caller).
    if (geteuid() == 0 && !privateTmp(argv)) {
        std::perror("face_privacy_test: a private /tmp");
        return 1;
    }
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
