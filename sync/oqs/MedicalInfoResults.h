#pragma once

// Result files of the medical-information requests (docs/OQS.md "Medical information"):
// YZKsiquc01res (薬剤情報: month blocks of 診療, 調剤 and 処方) and TKKsiquc01res (特定健診情報).
// Tags are those public client code reads [S:6 Form1.cs]; their positions above the blocks (where
// ResultCode sits) are not public, so the reader finds ResultCode and MessageContents in the
// header or the body [I]. As for eligibility results: an unknown tag is listed, a value that does
// not parse is a warning and stays empty, nothing is guessed. The writer serves the simulator.

#include "base/Expected.h"
#include "base/Timestamp.h"
#include "sync/SyncError.h"
#include "sync/oqs/TextEncoding.h"
#include "verify/model/MedicalInformation.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zaitaku::sync::oqs
{

enum class MedicalInfoKind
{
    Drugs,    // YZK: 3 years [S:P12]
    Checkups, // TKK: 5 years [S:P13]
};

struct MedicalInfoFile
{
    MedicalInfoKind kind = MedicalInfoKind::Drugs;
    std::string resultCode;      // "1": the information follows [S:6]; otherwise see messageContents
    std::string messageContents; // why not (as written)
    std::optional<base::Timestamp> processExecutionTime;
    model::MedicationHistory medication; // Drugs
    model::CheckupHistory checkups;      // Checkups
    std::vector<std::string> warnings;
    std::vector<std::string> unknownTags;
    TextEncoding encoding = TextEncoding::Utf8;
    std::string utf8; // the whole file as UTF-8 (kept beside the parsed records)

    bool succeeded() const { return resultCode == "1"; }
};

// XmlMalformed / XmlEncoding when the file cannot be accepted: not XmlMsg, no ResultCode.
Expected<MedicalInfoFile, Error> parseMedicalInfoResult(std::string_view bytes, MedicalInfoKind kind);
Expected<std::string, Error> buildMedicalInfoResult(const MedicalInfoFile& file, TextEncoding encoding);

} // namespace zaitaku::sync::oqs
