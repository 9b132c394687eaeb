#pragma once

// The field tables of an OQS result (docs/design/DOMAIN.md §2.4), shared by the XML reader and writer
// (OqsResultsXml.cpp) and the JSON views (OqsResultsJson.cpp): one table per group — the
// ResultOfQualificationConfirmation leaves, 高齢受給者, 限度額, 特定疾病 — each field saying how
// to read its text into the model and how to write it back. Internal to sync/oqs.

#include "sync/oqs/OqsResults.h"
#include "sync/oqs/Xml.h"

#include <array>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace zaitaku::sync::oqs::detail
{

// Where a value came from, for warnings ("ResultOfQualificationConfirmation/Sex1: unknown …").
struct Diag
{
    std::vector<std::string>& warnings;
    std::string path;
    void warn(std::string_view tag, const std::string& message) const
    {
        warnings.push_back(path + "/" + std::string(tag) + ": " + message);
    }
};

// One field of a group of type T: its tag, how its text is read (warnings through `d`) and
// written ("" = absent). `alwaysWritten`: written even when empty (the writer's layout).
template <typename T> struct Field
{
    std::string_view tag;
    void (*read)(T&, std::string_view tag, const std::string& text, const Diag& d);
    std::string (*write)(const T&);
    bool alwaysWritten = false;
};

using TagSet = std::set<std::string, std::less<>>;

const std::vector<Field<model::EligibilitySnapshot>>& resultLeaves();
const std::vector<Field<model::ElderlyRecipientCertificate>>& elderlyFields();
const std::vector<Field<model::LimitCertificate>>& limitFields();
const std::vector<Field<model::SpecificDiseaseCertificate>>& diseaseFields();

template <typename T> TagSet tagsOf(const std::vector<Field<T>>& fields)
{
    TagSet tags;
    for (const auto& f : fields) {
        tags.insert(std::string(f.tag));
    }
    return tags;
}

// The four medical-information consent triples (flag, ConsTime, AvailableTime) [S:7][S:5].
struct ConsentTriple
{
    std::string_view prefix;
    model::MedicalInfoConsent model::EligibilitySnapshot::*member;
};
extern const std::array<ConsentTriple, 4> kConsents;

extern const TagSet kKnownUnmodelled; // known but not modelled: kept in the raw XML
extern const TagSet kHeaderTags;
extern const TagSet kUnitTags;

std::optional<base::Timestamp> readTime(std::string_view tag, const std::string& text, const Diag& d);
template <typename E> std::optional<E> readCode(std::string_view tag, const std::string& text, const Diag& d)
{
    auto value = base::fromCode<E>(text);
    if (!value) {
        d.warn(tag, "unknown code '" + text + "' (not guessed)");
        return std::nullopt;
    }
    return *value;
}
std::optional<base::Date> readDate(std::string_view tag, const std::string& text, const Diag& d);
template <typename E> std::string codeText(const std::optional<E>& value)
{
    return value ? std::string(base::toCode(*value)) : std::string();
}
std::string dateText(const std::optional<base::Date>& date);
std::string timeText(const std::optional<base::Timestamp>& time);

std::string textOf(const XmlElement* parent, std::string_view tag);
void listUnknown(const XmlElement& e, const TagSet& known, const std::string& path, std::vector<std::string>& unknown);

// A group's element: each non-empty child read by its field; unknown children listed.
template <typename T>
T readGroup(const XmlElement& e, const std::vector<Field<T>>& fields, const Diag& d, std::vector<std::string>& unknown)
{
    T value;
    for (const auto& c : e.children) {
        if (c.text.empty()) {
            continue;
        }
        for (const auto& f : fields) {
            if (f.tag == c.name) {
                f.read(value, f.tag, c.text, d);
            }
        }
    }
    listUnknown(e, tagsOf(fields), d.path, unknown);
    return value;
}

template <typename T> void writeGroup(XmlWriter& w, const T& value, const std::vector<Field<T>>& fields)
{
    for (const auto& f : fields) {
        if (auto text = f.write(value); f.alwaysWritten || !text.empty()) {
            w.leaf(f.tag, text);
        }
    }
}

// One unit (MessageBody of a single result, or a BulkConfirmUnit) read from its element.
ResultUnit readUnit(const XmlElement& unit,
                    const std::string& path,
                    const ResultHeader& header,
                    std::vector<std::string>& warnings,
                    std::vector<std::string>& unknown);

} // namespace zaitaku::sync::oqs::detail
