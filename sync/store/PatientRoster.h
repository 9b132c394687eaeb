#pragma once

// The tablet's patient roster, provisioned from a JSON file (`zaitaku-cli store import-patients`):
// an array of objects with at least id, name, name_kana, birthdate (YYYY-MM-DD), insurer_number,
// insured_symbol, insured_number, insured_branch; optionally local_mrn, reference_number and a
// `care` object (the care relationship). Unknown keys are an error. The whole file is validated
// before anything is written, then imported in one transaction: all entries or none.

#include "base/Expected.h"
#include "sync/SyncError.h"
#include "sync/sql/Database.h"
#include "sync/store/Store.h"
#include "verify/model/CareRelationship.h"
#include "verify/model/Patient.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zaitaku::sync::store
{

struct RosterEntry
{
    model::Patient patient;
    std::optional<model::CareRelationship> care;
};

struct RosterImportResult
{
    std::size_t inserted = 0;
    std::size_t updated = 0;
    std::size_t careRelationships = 0;
    std::string fileSha256;
};

class PatientRoster
{
public:
    static constexpr std::size_t kMaxFileBytes = 16 * 1024 * 1024;

    // Every error names the entry and the field, e.g. field "[2].birthdate".
    static Expected<std::vector<RosterEntry>, Error> parse(std::string_view json);
    static Expected<RosterImportResult, Error> import(Store& store, std::string_view json, const std::string& actor);

    static Expected<std::optional<model::Patient>, Error> find(sql::Database& db, const std::string& id);
    static Expected<std::vector<model::Patient>, Error> list(sql::Database& db);
    static Expected<std::vector<model::CareRelationship>, Error> careOf(sql::Database& db,
                                                                        const std::string& patientId);
    // The gateway confirmed a care relationship online (a requery_permission feed item): the first
    // online confirmation date is kept where this tablet's roster has that care and none yet, so
    // the revisit's R7 check at the door knows it. False when nothing changed.
    static Expected<bool, Error> confirmCare(sql::Database& db,
                                             const std::string& patientId,
                                             const std::string& serviceKind,
                                             const base::Date& confirmedOn);
};

} // namespace zaitaku::sync::store
