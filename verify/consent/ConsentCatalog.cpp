#include "verify/consent/ConsentCatalog.h"

#include "base/Bytes.h"
#include "base/Sha256.h"
#include "verify/consent/EmbeddedTexts.h"

#include <array>
#include <cctype>
#include <set>

namespace zaitaku::consent
{

namespace
{

constexpr std::array<std::pair<TextId, std::string_view>, 8> kFileNames{{
    {TextId::All, "all"},
    {TextId::Diagnosis, "diag"},
    {TextId::Pharmacy, "pharm"},
    {TextId::Operation, "oper"},
    {TextId::Checkup, "checkup"},
    {TextId::Prescription, "e_prescription"},
    {TextId::Revocation, "revoke"},
    {TextId::Limit, "limit"},
}};

std::string sha256Hex(std::string_view bytes)
{
    const auto* data = reinterpret_cast<const std::uint8_t*>(bytes.data());
    std::string hex = base::toHex(base::sha256(base::ByteView(data, bytes.size())));
    for (char& c : hex) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return hex;
}

std::optional<TextId> idOfFile(std::string_view name)
{
    for (const auto& [id, file] : kFileNames) {
        if (file == name) {
            return id;
        }
    }
    return std::nullopt;
}

Error unknown(const std::string& what)
{
    return Error{Errc::UnknownText, "no consent text " + what, "text_version"};
}

} // namespace

std::string_view textFileName(TextId id)
{
    for (const auto& [known, file] : kFileNames) {
        if (known == id) {
            return file;
        }
    }
    return "all";
}

Expected<TextId, Error> textFor(model::ConsentKind kind)
{
    switch (kind) {
    case model::ConsentKind::Diagnosis:
        return TextId::Diagnosis;
    case model::ConsentKind::Pharmacy:
        return TextId::Pharmacy;
    case model::ConsentKind::Operation:
        return TextId::Operation;
    case model::ConsentKind::Checkup:
        return TextId::Checkup;
    case model::ConsentKind::ElectronicPrescription:
        return TextId::Prescription;
    case model::ConsentKind::Limit:
        return TextId::Limit;
    case model::ConsentKind::SpecificDisease:
        break;
    }
    return Unexpected(Error{Errc::NotOffered,
                            std::string(base::labelOf(kind)) + " is not asked at the door (no consent text)", "kind"});
}

std::string ConsentText::versionId() const
{
    return version + "/" + language + "/" + std::string(textFileName(id));
}

const ConsentCatalog& ConsentCatalog::builtin()
{
    static const ConsentCatalog catalog = [] {
        ConsentCatalog c;
        for (const auto& embedded : detail::embeddedTexts()) {
            // "<version>/<lang>/<file>.txt"
            const std::string path(embedded.path);
            const auto first = path.find('/');
            const auto second = path.find('/', first + 1);
            const auto dot = path.rfind(".txt");
            if (first == std::string::npos || second == std::string::npos || dot == std::string::npos) {
                continue;
            }
            auto id = idOfFile(std::string_view(path).substr(second + 1, dot - second - 1));
            if (!id) {
                continue;
            }
            ConsentText t{path.substr(0, first), path.substr(first + 1, second - first - 1), *id,
                          std::string(embedded.bytes), sha256Hex(embedded.bytes)};
            if (t.version > c.m_current) {
                c.m_current = t.version;
            }
            c.m_texts.emplace(t.versionId(), std::move(t));
        }
        return c;
    }();
    return catalog;
}

std::vector<std::string> ConsentCatalog::versions() const
{
    std::set<std::string> unique;
    for (const auto& [key, text] : m_texts) {
        unique.insert(text.version);
    }
    return {unique.begin(), unique.end()};
}

Expected<ConsentText, Error>
ConsentCatalog::text(const std::string& version, const std::string& language, TextId id) const
{
    return byVersionId(version + "/" + language + "/" + std::string(textFileName(id)));
}

Expected<ConsentText, Error> ConsentCatalog::current(const std::string& language, TextId id) const
{
    return text(m_current, language, id);
}

Expected<ConsentText, Error> ConsentCatalog::byVersionId(const std::string& versionId) const
{
    auto found = m_texts.find(versionId);
    if (found == m_texts.end()) {
        return Unexpected(unknown("'" + versionId + "'"));
    }
    return found->second;
}

} // namespace zaitaku::consent
