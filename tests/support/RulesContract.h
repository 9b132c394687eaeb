#pragma once

// The rules contract cases (tests/data/rules_contract.json), shared by the in-process test and
// the test of the real zaitaku-cli binary.

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace zaitaku::test
{

struct ContractCase
{
    std::string name;
    std::string requestText;
    int exitCode = 0;
    nlohmann::json expect;      // keys that must be present with these values
    nlohmann::json expectError; // {"field": …, "code": …} for exit 2
};

inline std::vector<ContractCase> loadRulesContract()
{
    std::ifstream file(ZAITAKU_TEST_DATA_DIR "/rules_contract.json");
    EXPECT_TRUE(file.good()) << "cannot open rules_contract.json";
    const nlohmann::json cases = nlohmann::json::parse(file);
    std::vector<ContractCase> out;
    for (const auto& c : cases) {
        ContractCase cc;
        cc.name = c.at("name").get<std::string>();
        cc.requestText = c.contains("request_text") ? c.at("request_text").get<std::string>() : c.at("request").dump();
        cc.exitCode = c.at("exit").get<int>();
        cc.expect = c.value("expect", nlohmann::json::object());
        cc.expectError = c.value("expect_error", nlohmann::json::object());
        out.push_back(std::move(cc));
    }
    return out;
}

// Checks one response (already parsed) against the case.
inline void expectContract(const ContractCase& c, int exitCode, const nlohmann::json& response)
{
    SCOPED_TRACE(c.name + " → " + response.dump());
    ASSERT_EQ(exitCode, c.exitCode);
    ASSERT_TRUE(response.is_object());
    if (c.exitCode == 0) {
        EXPECT_FALSE(response.contains("error"));
        for (const auto& [key, value] : c.expect.items()) {
            ASSERT_TRUE(response.contains(key)) << "missing key " << key;
            EXPECT_EQ(response.at(key), value) << key;
        }
    } else {
        ASSERT_TRUE(response.contains("error"));
        EXPECT_TRUE(response.at("error").is_string());
        EXPECT_FALSE(response.at("error").get<std::string>().empty());
        ASSERT_TRUE(response.contains("field"));
        EXPECT_EQ(response.at("field"), c.expectError.at("field"));
        EXPECT_EQ(response.at("code"), c.expectError.at("code"));
    }
}

} // namespace zaitaku::test
