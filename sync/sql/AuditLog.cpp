#include "sync/sql/AuditLog.h"

#include "base/BoundedJson.h"
#include "base/Bytes.h"
#include "base/CanonicalJson.h"
#include "base/Sha256.h"
#include "sync/sql/SqlTime.h"
#include "sync/sql/StoreMeta.h"

#include <string_view>

namespace zaitaku::sync::sql
{

namespace
{

using nlohmann::json;
constexpr std::size_t kMaxProblems = 20;

} // namespace

json AuditVerification::toJson() const
{
    json list = json::array();
    for (const auto& p : problems) {
        list.push_back({{"seq", p.seq}, {"problem", p.what}});
    }
    return {{"ok", ok()}, {"rows", rows}, {"head", headHash}, {"problems", list}};
}

const std::string& AuditChain::genesis()
{
    static const std::string kGenesis(64, '0');
    return kGenesis;
}

std::string AuditChain::hash(const std::string& prevHashHex,
                             std::int64_t seq,
                             const std::string& at,
                             const std::string& actor,
                             const std::string& action,
                             const std::string& subject,
                             const std::string& detailCanonical)
{
    auto prev = base::fromHex(prevHashHex);
    std::string material(prev ? std::string(prev->begin(), prev->end()) : prevHashHex);
    // detail is embedded as parsed JSON so the row's canonical form is one JSON document.
    const json content{{"seq", seq},       {"at", at},           {"actor", actor},
                       {"action", action}, {"subject", subject}, {"detail", base::parseJson(detailCanonical)}};
    material += base::canonicalJson(content);
    return base::sha256Hex(material);
}

void AuditChain::note(std::int64_t seq, std::string what)
{
    if (m_result.problems.size() < kMaxProblems) {
        m_result.problems.push_back({seq, std::move(what)});
    }
}

void AuditChain::check(std::int64_t seq,
                       const std::string& at,
                       const std::string& actor,
                       const std::string& action,
                       const std::string& subject,
                       const std::string& detail,
                       const std::string& prevHash,
                       const std::string& rowHash)
{
    if (seq != m_expectedSeq) {
        note(seq, "sequence jumps from " + std::to_string(m_expectedSeq - 1) + " to " + std::to_string(seq) +
                      " (rows deleted)");
    }
    if (prevHash != m_expectedPrev) {
        note(seq, "prev_hash does not match the previous row (deleted or reordered rows)");
    }
    if (hash(prevHash, seq, at, actor, action, subject, detail) != rowHash) {
        note(seq, "content does not match its hash (edited row)");
    }
    m_expectedPrev = rowHash;
    m_expectedSeq = seq + 1;
    ++m_result.rows;
}

AuditVerification AuditChain::finish(const std::string& recordedHead)
{
    m_result.headHash = m_result.rows > 0 ? m_expectedPrev : std::string();
    const std::string expectedHead = m_result.rows > 0 ? std::to_string(m_expectedSeq - 1) + ":" + m_expectedPrev : "";
    if (recordedHead != expectedHead) {
        note(m_expectedSeq - 1, "the chain does not end at the recorded head " +
                                    (recordedHead.empty() ? "(none)" : recordedHead) +
                                    " (rows removed from the end, or the head was edited)");
    }
    return m_result;
}

Expected<std::int64_t, Error> AuditLog::append(Database& db, const AuditEntry& entry, const base::Timestamp& at)
{
    auto last = db.prepare("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1");
    if (!last) {
        return Unexpected(last.error());
    }
    auto row = last->step();
    if (!row) {
        return Unexpected(row.error());
    }
    const std::int64_t seq = *row ? last->integer(0) + 1 : 1;
    const std::string prev = *row ? last->text(1) : AuditChain::genesis();
    const std::string when = utcText(at);
    std::string detail;
    try {
        detail = base::canonicalJson(entry.detail);
    } catch (const json::exception&) {
        return Unexpected(Error{Errc::InvalidInput, "audit detail is not valid UTF-8", "detail"});
    }
    const std::string hash = AuditChain::hash(prev, seq, when, entry.actor, entry.action, entry.subject, detail);
    auto insert = db.prepare("INSERT INTO audit_log (seq, at, actor, action, subject, detail, prev_hash, hash) "
                             "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
    if (!insert) {
        return Unexpected(insert.error());
    }
    insert->bind(1, seq).bind(2, when).bind(3, entry.actor).bind(4, entry.action).bind(5, entry.subject);
    insert->bind(6, detail).bind(7, prev).bind(8, hash);
    if (auto done = insert->run(); !done) {
        return Unexpected(done.error());
    }
    if (auto done = StoreMeta::set(db, "audit_head", std::to_string(seq) + ":" + hash); !done) {
        return Unexpected(done.error());
    }
    return seq;
}

Expected<AuditVerification, Error> AuditLog::verify(Database& db)
{
    auto rows =
        db.prepare("SELECT seq, at, actor, action, subject, detail, prev_hash, hash FROM audit_log ORDER BY seq");
    if (!rows) {
        return Unexpected(rows.error());
    }
    AuditChain chain;
    auto done = rows->forEachRow([&](const Statement& row) {
        chain.check(row.integer(0), row.text(1), row.text(2), row.text(3), row.text(4), row.text(5), row.text(6),
                    row.text(7));
    });
    if (!done) {
        return Unexpected(done.error());
    }
    auto stored = StoreMeta::get(db, "audit_head");
    if (!stored) {
        return Unexpected(stored.error());
    }
    return chain.finish(stored->value_or(std::string()));
}

} // namespace zaitaku::sync::sql
