#include "sync/oqs/MedicalInfoResults.h"

#include "sync/oqs/OqsResultFields.h"
#include "sync/oqs/OqsResults.h"
#include "sync/oqs/Xml.h"

#include <algorithm>
#include <array>

namespace zaitaku::sync::oqs
{

using model::Drug;
using model::DrugEvent;
using model::DrugSource;

namespace
{

using detail::Diag;
using detail::TagSet;
using detail::textOf;

// The tags of one kind of month block: the same fields under three spellings [S:6 Form1.cs
// elementMappings]. `container` is the element the blocks sit in under MessageBody ("" = none).
struct BlockTags
{
    DrugSource source;
    std::string_view container, block;
    std::string_view dateList, dateItem, date, prescribedDate; // prescribedDate "" = not sent
    std::string_view drugList, drugItem;
    std::array<std::string_view, 8> event; // in the order of kEventFields
    std::array<std::string_view, 9> drug;  // in the order of kDrugFields
};

constexpr std::array<std::string DrugEvent::*, 8> kEventFields{
    &DrugEvent::month,          &DrugEvent::facilityCode, &DrugEvent::facilityName, &DrugEvent::prescriberCode,
    &DrugEvent::prescriberName, &DrugEvent::organization, &DrugEvent::issuingOrg,   &DrugEvent::inOut};
constexpr std::array<std::string Drug::*, 9> kDrugFields{
    &Drug::code,      &Drug::name,  &Drug::ingredient,         &Drug::quantity,
    &Drug::unit,      &Drug::usage, &Drug::specialInstruction, &Drug::times,
    &Drug::usageClass};

constexpr std::array<BlockTags, 3> kBlocks{{
    {DrugSource::Medical,
     "",
     "MeTrMonthInf",
     "DiDateInfs",
     "DiDateInf",
     "DiDate",
     "PrDate",
     "DrugInfs",
     "DrugInf",
     {"MeTrMonth", "MeTrDiHCd", "MeTrDiHNm", "PrlsHCd", "PrlsHNm", "DiOrg", "PrIsOrg", "InOut"},
     {"DrugC", "DrugN", "IngreN", "Qua1", "Unit", "UsageN", "SpInst", "Times", "MeTrIdCl"}},
    {DrugSource::Dispensing,
     "CzDiInf",
     "CzDiMonthInf",
     "CzDiDateInfs",
     "CzDiDateInf",
     "CzDiDate",
     "CzPrDate",
     "CzDrugInfs",
     "CzDrugInf",
     {"CzDiMonth", "CzMeTrDiHCd", "CzMeTrDiHNm", "CzPrlsHCd", "CzPrlsHNm", "CzDiOrg", "CzPrIsOrg", "CzPrCl"},
     {"CzDrugC", "CzDrugN", "CzIngreN", "CzQua1", "CzUnit", "CzUsageN", "CzSpInst", "CzTimes", "CzUsageCl"}},
    {DrugSource::Prescription,
     "ShPrInf",
     "ShPrMonthInf",
     "ShPrDateInfs",
     "ShPrDateInf",
     "ShPrDate",
     "",
     "ShDrugInfs",
     "ShDrugInf",
     {"ShPrMonth", "ShMeTrDiHCd", "ShMeTrDiHNm", "ShPrHCd", "ShPrHNm", "ShPrOrg", "ShPrIsOrg", "ShPrCl"},
     {"ShDrugC", "ShDrugN", "ShIngreN", "ShQua1", "ShUnit", "ShUsageN", "ShSpInst", "ShTimes", "ShUsageCl"}},
}};

// The subject's tags: QuaInf in the drug file, QualificationsInfo in the checkup file [S:6].
struct SubjectTags
{
    std::string_view element, name, kana, birth, sex;
};
constexpr SubjectTags kDrugSubject{"QuaInf", "Name", "KanaName", "Birth", "AdmGendCode"};
constexpr SubjectTags kCheckupSubject{"QualificationsInfo", "Name", "KanasName", "Birthday",
                                      "AdministrativeGenderCode"};

constexpr std::array<std::string model::CheckupItem::*, 7> kItemFields{
    &model::CheckupItem::code, &model::CheckupItem::name, &model::CheckupItem::dataType, &model::CheckupItem::value,
    &model::CheckupItem::unit, &model::CheckupItem::oid,  &model::CheckupItem::valueName};
constexpr std::array<std::string_view, 7> kItemTags{"ItemCode", "ItemName", "DataType",     "DataValue",
                                                    "Unit",     "Oid",      "DataValueName"};

template <std::size_t N> TagSet tagSet(const std::array<std::string_view, N>& tags)
{
    return TagSet(tags.begin(), tags.end());
}

TagSet tagSet(std::initializer_list<std::string_view> tags)
{
    return TagSet(tags.begin(), tags.end());
}

std::string join(const std::string& path, std::string_view tag)
{
    return path + "/" + std::string(tag);
}

std::optional<base::Date> dateAt(const XmlElement& e, std::string_view tag, const Diag& d)
{
    const auto text = textOf(&e, tag);
    return text.empty() ? std::nullopt : detail::readDate(tag, text, d);
}

model::MedicalInfoSubject readSubject(const XmlElement* header, const SubjectTags& tags, MedicalInfoFile& file)
{
    model::MedicalInfoSubject out;
    const XmlElement* e = header ? header->child(tags.element) : nullptr;
    if (!e) {
        return out;
    }
    const std::string path = join("XmlMsg/MessageHeader", tags.element);
    out.name = textOf(e, tags.name);
    out.kanaName = textOf(e, tags.kana);
    out.birthdate = dateAt(*e, tags.birth, Diag{file.warnings, path});
    out.sexCode = textOf(e, tags.sex);
    detail::listUnknown(*e, tagSet({tags.name, tags.kana, tags.birth, tags.sex}), path, file.unknownTags);
    return out;
}

void readBlock(const XmlElement& block, const BlockTags& tags, const std::string& path, MedicalInfoFile& file)
{
    DrugEvent month;
    month.source = tags.source;
    for (std::size_t i = 0; i < kEventFields.size(); ++i) {
        month.*kEventFields[i] = textOf(&block, tags.event[i]);
    }
    auto blockTags = tagSet(tags.event);
    blockTags.insert(std::string(tags.dateList));
    detail::listUnknown(block, blockTags, path, file.unknownTags);
    const XmlElement* dates = block.child(tags.dateList);
    if (!dates) {
        return;
    }
    const std::string datesPath = join(join(path, tags.dateList), tags.dateItem);
    detail::listUnknown(*dates, tagSet({tags.dateItem}), join(path, tags.dateList), file.unknownTags);
    for (const auto* day : dates->childrenNamed(tags.dateItem)) {
        const Diag d{file.warnings, datesPath};
        DrugEvent event = month;
        event.date = dateAt(*day, tags.date, d);
        event.prescribedDate = tags.prescribedDate.empty() ? event.date : dateAt(*day, tags.prescribedDate, d);
        TagSet known = tagSet({tags.date, tags.drugList});
        if (!tags.prescribedDate.empty()) {
            known.insert(std::string(tags.prescribedDate));
        }
        detail::listUnknown(*day, known, datesPath, file.unknownTags);
        if (const XmlElement* drugs = day->child(tags.drugList)) {
            const std::string drugsPath = join(datesPath, tags.drugList);
            detail::listUnknown(*drugs, tagSet({tags.drugItem}), drugsPath, file.unknownTags);
            for (const auto* item : drugs->childrenNamed(tags.drugItem)) {
                Drug drug;
                for (std::size_t i = 0; i < kDrugFields.size(); ++i) {
                    drug.*kDrugFields[i] = textOf(item, tags.drug[i]);
                }
                detail::listUnknown(*item, tagSet(tags.drug), join(drugsPath, tags.drugItem), file.unknownTags);
                event.drugs.push_back(std::move(drug));
            }
        }
        file.medication.events.push_back(std::move(event));
    }
}

void readDrugs(const XmlElement& body, MedicalInfoFile& file, TagSet& known)
{
    for (const auto& tags : kBlocks) {
        const XmlElement* parent = &body;
        std::string path = "XmlMsg/MessageBody";
        if (!tags.container.empty()) {
            known.insert(std::string(tags.container));
            parent = body.child(tags.container);
            if (!parent) {
                continue;
            }
            path = join(path, tags.container);
            detail::listUnknown(*parent, tagSet({tags.block}), path, file.unknownTags);
        } else {
            known.insert(std::string(tags.block));
        }
        for (const auto* block : parent->childrenNamed(tags.block)) {
            readBlock(*block, tags, join(path, tags.block), file);
        }
    }
}

// SpecificHealthCheckupInfo wherever it sits under the body (public code searches the whole
// document, so the nesting is not known [I]); bounded by the parser's depth limit.
void findCheckups(const XmlElement& e, std::vector<const XmlElement*>& out)
{
    for (const auto& c : e.children) {
        if (c.name == "SpecificHealthCheckupInfo") {
            out.push_back(&c);
        } else {
            findCheckups(c, out);
        }
    }
}

void readCheckups(const XmlElement& body, MedicalInfoFile& file)
{
    std::vector<const XmlElement*> found;
    findCheckups(body, found);
    const std::string path = "XmlMsg/MessageBody/…/SpecificHealthCheckupInfo";
    for (const auto* info : found) {
        model::Checkup checkup;
        checkup.date = dateAt(*info, "EffectiveTime", Diag{file.warnings, path});
        detail::listUnknown(*info, {"EffectiveTime", "HealthCheckupResultAndQuestionInfos"}, path, file.unknownTags);
        if (const XmlElement* list = info->child("HealthCheckupResultAndQuestionInfos")) {
            const std::string listPath = join(path, "HealthCheckupResultAndQuestionInfos");
            detail::listUnknown(*list, {"HealthCheckupResultAndQuestionInfo"}, listPath, file.unknownTags);
            for (const auto* row : list->childrenNamed("HealthCheckupResultAndQuestionInfo")) {
                model::CheckupItem item;
                for (std::size_t i = 0; i < kItemFields.size(); ++i) {
                    item.*kItemFields[i] = textOf(row, kItemTags[i]);
                }
                detail::listUnknown(*row, tagSet(kItemTags), join(listPath, "HealthCheckupResultAndQuestionInfo"),
                                    file.unknownTags);
                checkup.items.push_back(std::move(item));
            }
        }
        file.checkups.checkups.push_back(std::move(checkup));
    }
}

// ResultCode / MessageContents: in the header, else in the body [I: position not public].
std::string headerOrBody(const XmlElement* header, const XmlElement* body, std::string_view tag)
{
    auto text = textOf(header, tag);
    return text.empty() ? textOf(body, tag) : text;
}

void writeSubject(XmlWriter& w, const model::MedicalInfoSubject& s, const SubjectTags& tags)
{
    w.open(tags.element);
    w.leaf(tags.name, s.name);
    w.leaf(tags.kana, s.kanaName);
    w.leaf(tags.birth, s.birthdate ? s.birthdate->toCompact() : std::string());
    w.leaf(tags.sex, s.sexCode);
    w.close();
}

void leafIfSet(XmlWriter& w, std::string_view tag, const std::string& text)
{
    if (!tag.empty() && !text.empty()) {
        w.leaf(tag, text);
    }
}

// One month block per (source, facility, month) in the order first seen, its dates inside.
void writeDrugs(XmlWriter& w, const model::MedicationHistory& history)
{
    for (const auto& tags : kBlocks) {
        std::vector<std::vector<const DrugEvent*>> blocks;
        for (const auto& e : history.events) {
            if (e.source != tags.source) {
                continue;
            }
            auto same = [&](const std::vector<const DrugEvent*>& b) {
                const auto& f = *b.front();
                return f.month == e.month && f.facilityCode == e.facilityCode && f.prescriberCode == e.prescriberCode;
            };
            if (auto it = std::find_if(blocks.begin(), blocks.end(), same); it != blocks.end()) {
                it->push_back(&e);
            } else {
                blocks.push_back({&e});
            }
        }
        if (blocks.empty()) {
            continue;
        }
        if (!tags.container.empty()) {
            w.open(tags.container);
        }
        for (const auto& block : blocks) {
            w.open(tags.block);
            for (std::size_t i = 0; i < kEventFields.size(); ++i) {
                leafIfSet(w, tags.event[i], block.front()->*kEventFields[i]);
            }
            w.open(tags.dateList);
            for (const auto* e : block) {
                w.open(tags.dateItem);
                leafIfSet(w, tags.date, e->date ? e->date->toCompact() : std::string());
                leafIfSet(w, tags.prescribedDate, e->prescribedDate ? e->prescribedDate->toCompact() : std::string());
                w.open(tags.drugList);
                for (const auto& drug : e->drugs) {
                    w.open(tags.drugItem);
                    for (std::size_t i = 0; i < kDrugFields.size(); ++i) {
                        leafIfSet(w, tags.drug[i], drug.*kDrugFields[i]);
                    }
                    w.close();
                }
                w.close();
                w.close();
            }
            w.close();
            w.close();
        }
        if (!tags.container.empty()) {
            w.close();
        }
    }
}

void writeCheckups(XmlWriter& w, const model::CheckupHistory& history)
{
    w.open("SpecificHealthCheckupInfos"); // [I] the wrapper's name is not public
    for (const auto& c : history.checkups) {
        w.open("SpecificHealthCheckupInfo");
        w.leaf("EffectiveTime", c.date ? c.date->toCompact() : std::string());
        w.open("HealthCheckupResultAndQuestionInfos");
        for (const auto& item : c.items) {
            w.open("HealthCheckupResultAndQuestionInfo");
            for (std::size_t i = 0; i < kItemFields.size(); ++i) {
                leafIfSet(w, kItemTags[i], item.*kItemFields[i]);
            }
            w.close();
        }
        w.close();
        w.close();
    }
    w.close();
}

} // namespace

Expected<MedicalInfoFile, Error> parseMedicalInfoResult(std::string_view bytes, MedicalInfoKind kind)
{
    auto doc = parseXml(bytes);
    if (!doc) {
        return Unexpected(doc.error());
    }
    if (doc->root.name != "XmlMsg") {
        return Unexpected(
            Error{Errc::XmlMalformed, "the root element is <" + doc->root.name + ">, not <XmlMsg>", doc->root.name});
    }
    MedicalInfoFile file;
    file.kind = kind;
    file.encoding = doc->encoding;
    file.utf8 = doc->utf8;
    detail::listUnknown(doc->root, {"MessageHeader", "MessageBody"}, "XmlMsg", file.unknownTags);
    const XmlElement* header = doc->root.child("MessageHeader");
    const XmlElement* body = doc->root.child("MessageBody");
    file.resultCode = headerOrBody(header, body, "ResultCode");
    if (file.resultCode.empty()) {
        return Unexpected(Error{Errc::XmlMalformed, "no ResultCode: nothing can be decided without it", "ResultCode"});
    }
    file.messageContents = headerOrBody(header, body, "MessageContents");
    const SubjectTags& subject = kind == MedicalInfoKind::Drugs ? kDrugSubject : kCheckupSubject;
    if (header) {
        if (auto t = textOf(header, "ProcessExecutionTime"); !t.empty()) {
            file.processExecutionTime =
                detail::readTime("ProcessExecutionTime", t, Diag{file.warnings, "XmlMsg/MessageHeader"});
        }
        detail::listUnknown(*header,
                            {"ProcessExecutionTime", "ResultCode", "MessageContents", "CharacterCodeIdentifier",
                             "MedicalInstitutionCode", "ArbitraryFileIdentifier", std::string(subject.element)},
                            "XmlMsg/MessageHeader", file.unknownTags);
    }
    model::MedicalInfoSubject who = readSubject(header, subject, file);
    if (body) {
        TagSet known{"ResultCode", "MessageContents"};
        if (kind == MedicalInfoKind::Drugs) {
            readDrugs(*body, file, known);
            detail::listUnknown(*body, known, "XmlMsg/MessageBody", file.unknownTags);
        } else {
            readCheckups(*body, file);
        }
    }
    (kind == MedicalInfoKind::Drugs ? file.medication.subject : file.checkups.subject) = std::move(who);
    return file;
}

Expected<std::string, Error> buildMedicalInfoResult(const MedicalInfoFile& file, TextEncoding encoding)
{
    XmlWriter w;
    w.open("XmlMsg");
    w.open("MessageHeader");
    if (file.processExecutionTime) {
        w.leaf("ProcessExecutionTime", toCompactTime(*file.processExecutionTime));
    }
    w.leaf("CharacterCodeIdentifier", encoding == TextEncoding::ShiftJis ? "1" : "0");
    w.leaf("ResultCode", file.resultCode);
    leafIfSet(w, "MessageContents", file.messageContents);
    if (file.kind == MedicalInfoKind::Drugs) {
        writeSubject(w, file.medication.subject, kDrugSubject);
    } else {
        writeSubject(w, file.checkups.subject, kCheckupSubject);
    }
    w.close();
    w.open("MessageBody");
    if (file.succeeded()) {
        if (file.kind == MedicalInfoKind::Drugs) {
            writeDrugs(w, file.medication);
        } else {
            writeCheckups(w, file.checkups);
        }
    }
    w.close();
    w.close();
    return w.finish(encoding);
}

} // namespace zaitaku::sync::oqs
