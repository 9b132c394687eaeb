#pragma once

// The consent texts a patient is shown, by version, language and text id (texts/README.md). Each
// text carries the SHA-256 of its exact bytes; a consent record stores "<version>/<lang>/<id>" and
// that hash, so what was shown can be proven years later.

#include "base/Expected.h"
#include "verify/consent/ConsentError.h"
#include "verify/model/Consent.h"

#include <map>
#include <string>
#include <vector>

namespace zaitaku::consent
{

// Which text: the all-at-once text, one per item, and the withdrawal text.
enum class TextId
{
    All,
    Diagnosis,
    Pharmacy,
    Operation,
    Checkup,
    Prescription,
    Revocation,
    Limit, // 限度額情報を提供しますか [seed 001]
};

std::string_view textFileName(TextId id); // "all", "diag", …
// The text shown when asking about one consent kind.
Expected<TextId, Error> textFor(model::ConsentKind kind);

struct ConsentText
{
    std::string version;  // "2026-11"
    std::string language; // "ja", "en"
    TextId id = TextId::All;
    std::string text;   // UTF-8, exactly as committed
    std::string sha256; // hex of `text`

    // What the consent record stores: "2026-11/ja/diag".
    std::string versionId() const;
};

class ConsentCatalog
{
public:
    // The texts compiled into this binary.
    static const ConsentCatalog& builtin();

    // The newest version (versions are dated folder names and sort as text).
    const std::string& currentVersion() const { return m_current; }
    std::vector<std::string> versions() const;
    Expected<ConsentText, Error> text(const std::string& version, const std::string& language, TextId id) const;
    Expected<ConsentText, Error> current(const std::string& language, TextId id) const;
    // Resolves a stored "<version>/<lang>/<id>" (e.g. to show a patient what they agreed to).
    Expected<ConsentText, Error> byVersionId(const std::string& versionId) const;

private:
    std::map<std::string, ConsentText> m_texts; // by versionId
    std::string m_current;
};

} // namespace zaitaku::consent
