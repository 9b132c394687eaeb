// The OQS XML fuzz target on every CI run (ASan/UBSan there): the golden files as seeds, then
// deterministic mutations (byte flips, truncations, insertions of markup and multi-byte
// fragments) plus the classic hostile documents: entity bombs, external entities, deep nesting,
// huge files, wrong encodings.

#include "OqsXmlFuzz.h"
#include "sync/oqs/MedicalInfoResults.h"
#include "sync/oqs/OqsResults.h"

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include <gtest/gtest.h>

namespace zaitaku::fuzz
{
namespace
{

std::string readFile(const std::filesystem::path& p)
{
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

std::vector<std::string> seeds()
{
    std::vector<std::string> out;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(ZAITAKU_TEST_DATA_DIR "/oqs")) {
        if (entry.path().extension() == ".xml") {
            out.push_back(readFile(entry.path()));
        }
    }
    return out;
}

bool run(const std::string& input)
{
    return runOqsParsers(reinterpret_cast<const std::uint8_t*>(input.data()), input.size());
}

TEST(OqsXmlCorpus, SeedsParse)
{
    const auto all = seeds();
    ASSERT_GE(all.size(), 4u);
    std::size_t accepted = 0;
    for (const auto& seed : all) {
        accepted += run(seed) ? 1 : 0;
    }
    EXPECT_GE(accepted, 4u); // the result goldens at least
}

TEST(OqsXmlCorpus, HostileDocumentsAreRefusedWithAReason)
{
    const std::string bomb =
        R"(<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><XmlMsg><MessageHeader><SegmentOfResult>&lol2;</SegmentOfResult></MessageHeader></XmlMsg>)";
    const std::string external =
        R"(<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><XmlMsg>&e;</XmlMsg>)";
    const std::string undeclared =
        R"(<XmlMsg><MessageHeader><SegmentOfResult>&e;</SegmentOfResult></MessageHeader></XmlMsg>)";
    std::string deep;
    for (int i = 0; i < 5000; ++i) {
        deep += "<a>";
    }
    for (int i = 0; i < 5000; ++i) {
        deep += "</a>";
    }
    std::string huge = "<XmlMsg>" + std::string(33 * 1024 * 1024, ' ') + "</XmlMsg>";
    for (const auto& doc : {bomb, external, undeclared, deep, huge}) {
        for (auto kind : {sync::oqs::MedicalInfoKind::Drugs, sync::oqs::MedicalInfoKind::Checkups}) {
            auto medical = sync::oqs::parseMedicalInfoResult(doc, kind);
            ASSERT_FALSE(medical);
            EXPECT_EQ(medical.error().code, sync::Errc::XmlMalformed) << medical.error().message;
        }
        auto parsed = sync::oqs::parseResult(doc);
        ASSERT_FALSE(parsed);
        EXPECT_FALSE(parsed.error().message.empty());
        EXPECT_EQ(parsed.error().code, sync::Errc::XmlMalformed) << parsed.error().message;
    }
}

TEST(OqsXmlCorpus, MutationsNeverCrash)
{
    const auto all = seeds();
    std::mt19937 rng(20261122);
    const std::vector<std::string> fragments{"<",        ">",        "</XmlMsg>", "&amp;", "&#0;",     "\x82\xA0",
                                             "\xE3\x81", "\xFF\xFE", "<![CDATA[", "]]>",   "<?xml ?>", "\0"};
    std::size_t accepted = 0;
    const int kRounds = 20000;
    for (int i = 0; i < kRounds; ++i) {
        std::string input = all[rng() % all.size()];
        const int edits = 1 + static_cast<int>(rng() % 4);
        for (int e = 0; e < edits && !input.empty(); ++e) {
            const std::size_t at = rng() % input.size();
            switch (rng() % 4) {
            case 0:
                input[at] = static_cast<char>(input[at] ^ (1u << (rng() % 8)));
                break;
            case 1:
                input.resize(at);
                break;
            case 2:
                input.insert(at, fragments[rng() % fragments.size()]);
                break;
            default:
                input.erase(at, 1 + rng() % 16);
                break;
            }
        }
        accepted += run(input) ? 1 : 0;
    }
    // Most single edits inside text keep the file acceptable; most structural ones do not.
    EXPECT_GT(accepted, 0u);
    EXPECT_LT(accepted, static_cast<std::size_t>(kRounds));
}

} // namespace
} // namespace zaitaku::fuzz
