#pragma once

// A fresh encrypted store in a temporary directory, with a manual clock, a seeded random source
// and cheap scrypt parameters (logN 10: tests only), plus builders for the records tests commit.

#include "base/Clock.h"
#include "base/Random.h"
#include "sync/sql/StoreMeta.h"
#include "sync/store/DeviceSigningKey.h"
#include "sync/store/PatientRoster.h"
#include "sync/store/StoreLifecycle.h"
#include "sync/store/VisitLedger.h"
#include "tests/support/TempDir.h"
#include "verify/model/EligibilitySnapshot.h"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>

#include <gtest/gtest.h>

namespace zaitaku::testing
{

inline constexpr const char* kTestPassphrase = "correct horse battery";

inline sync::protocol::ScryptParams fastScrypt()
{
    return sync::protocol::ScryptParams{10, 8, 1};
}

inline std::string readAll(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

inline std::string rosterJson(const std::string& id, const std::string& birthdate = "1948-04-02")
{
    return R"([{"id":")" + id + R"(","name":"山田 太郎","name_kana":"ヤマダ タロウ","birthdate":")" + birthdate +
           R"(","insurer_number":"39131015","insured_symbol":"","insured_number":"12345678","insured_branch":"00",)"
           R"("care":{"service_kind":"houmon_shinryo","first_online_confirm_at":"2025-06-01","first_confirm_method":"pin"}}])";
}

// A first visit with PIN evidence and one consent, for patient `patientId`.
inline model::VisitRecord makeVisit(const std::string& visitId, const std::string& patientId, const base::Timestamp& at)
{
    model::VisitRecord r;
    r.visit.id = visitId;
    r.visit.patientId = patientId;
    r.visit.careRelationshipId = patientId + ":houmon_shinryo";
    r.visit.flow = model::VisitFlow::FirstVisit;
    r.visit.state = "completed";
    r.visit.scheduledFor = at.localDate();
    r.visit.startedAt = at;
    r.visit.completedAt = at.plus(std::chrono::minutes(9));
    r.visit.staffId = "nurse-7";
    r.visit.deviceId = "tablet-1";
    model::Evidence e;
    e.id = visitId + "-e1";
    e.visitId = visitId;
    e.patientId = patientId;
    e.method = model::EvidenceMethod::PinSignature;
    e.capturedAt = at;
    e.deviceId = "tablet-1";
    e.staffId = "nurse-7";
    e.authCertificateDer = {0x30, 0x82, 0x01, 0x0a};
    e.challengeId = "local";
    e.challengeOrigin = model::ChallengeOrigin::Local;
    e.challengeNonce = {1, 2, 3, 4};
    e.signature = std::vector<std::uint8_t>(256, 0x5a);
    r.evidence.push_back(e);
    r.visit.evidenceIds = {e.id};
    model::Consent c;
    c.id = visitId + "-c1";
    c.patientId = patientId;
    c.kind = model::ConsentKind::Diagnosis;
    c.given = true;
    c.textVersion = "consent-ja-2026-04";
    c.consentTime = at;
    c.textSha256 = std::string(64, 'a');
    r.consents.push_back(c);
    r.visit.consentIds = {c.id};
    return r;
}

// A confirmed eligibility result (segment, processing status and validity all normal).
inline model::EligibilitySnapshot confirmedSnapshot(const std::string& id, const std::string& patientId)
{
    model::EligibilitySnapshot s;
    s.id = id;
    s.patientId = patientId;
    s.segmentOfResult = model::SegmentOfResult::Normal;
    s.processingResultStatus = model::ProcessingResultStatus::Normal;
    s.qualificationValidity = model::QualificationValidity::Valid;
    s.rawXml = "<x/>";
    return s;
}

// makeVisit with visual evidence instead of the placeholder PIN signature (a gateway accepts it:
// no card signature to check), sealed with the tablet's device key as the visit engine does, and
// naming the tablet as the gateway enrolled it (visit.device_id is checked at intake).
inline Expected<sync::store::CommittedVisit, sync::Error> commitVisualVisit(sync::store::Store& tablet,
                                                                            base::RandomSource& random,
                                                                            const std::string& id,
                                                                            const std::string& patientId)
{
    auto record = makeVisit(id, patientId, tablet.clock().nowJst());
    auto& e = record.evidence.front();
    e.method = model::EvidenceMethod::Visual;
    e.authCertificateDer.clear();
    e.signature.clear();
    e.challengeId.clear();
    e.challengeOrigin = model::ChallengeOrigin::None;
    e.challengeNonce.clear();
    e.visual = model::VisualAttestation{"nurse-7", model::VisualReason::CannotEnterPin, "目視で確認しました"};
    if (auto enrolled = sync::sql::StoreMeta::get(tablet.db(), "gateway.device_id"); enrolled && *enrolled) {
        record.visit.deviceId = **enrolled;
        e.deviceId = **enrolled;
    }
    auto signer = sync::store::DeviceSigningKey::loadOrCreate(tablet, random);
    if (!signer) {
        return Unexpected(signer.error());
    }
    return sync::store::VisitLedger::commit(tablet, record, "nurse-7", &*signer);
}

class StoreTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        dir = makeTempDir("zaitaku-store");
        path = (dir / "store.db").string();
        sync::store::InitOptions options;
        options.scrypt = fastScrypt();
        auto created = sync::store::initStore(path, kTestPassphrase, options, random, clock);
        ASSERT_TRUE(created) << created.error().message;
        recoveryCode = created->recoveryCode;
        store.emplace(std::move(created->store));
    }
    void TearDown() override
    {
        store.reset();
        std::filesystem::remove_all(dir);
    }

    void importPatient(const std::string& id)
    {
        auto imported = sync::store::PatientRoster::import(*store, rosterJson(id), "operator");
        ASSERT_TRUE(imported) << imported.error().message;
    }

    std::int64_t count(const std::string& table)
    {
        auto n = store->db().queryInt("SELECT count(*) FROM " + table);
        EXPECT_TRUE(n) << (n ? "" : n.error().message);
        return n.value_or(-1);
    }

    // Closes and unlocks again with the passphrase.
    void reopen()
    {
        store.reset();
        auto opened = sync::store::unlockStore(path, sync::store::UnlockSecret::passphrase(kTestPassphrase), clock);
        ASSERT_TRUE(opened) << opened.error().message;
        store.emplace(std::move(*opened));
    }

    base::ManualClock clock{base::Timestamp::parse("2026-11-21T10:00:00+09:00").value()};
    base::SeededRandom random{42};
    std::filesystem::path dir;
    std::string path;
    std::string recoveryCode;
    std::optional<sync::store::Store> store;
};

} // namespace zaitaku::testing
