#pragma once

// A small, safe XML reader and writer for OQS files. libxml2 parses; its types stay in Xml.cpp.
// Safety: no DTD (a DOCTYPE is refused before parsing, which also stops entity bombs), no
// network, no entity substitution, bounded size, depth and element count. The text handed to
// libxml2 is always UTF-8: Shift_JIS files are converted first (TextEncoding), so the
// declaration and CharacterCodeIdentifier can be checked against each other.

#include "base/Expected.h"
#include "sync/SyncError.h"
#include "sync/oqs/TextEncoding.h"

#include <cstddef>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace zaitaku::sync::oqs
{

// The largest OQS file read or parsed (a bulk answer for a 500-patient route is ~1 MB).
inline constexpr std::size_t kMaxXmlBytes = 32 * 1024 * 1024;

struct XmlLimits
{
    std::size_t maxBytes = kMaxXmlBytes;
    int maxDepth = 32;
    std::size_t maxElements = 500000;
};

struct XmlElement
{
    std::string name;
    std::string text; // verbatim, never trimmed (InsurerNumber may carry leading spaces, Q4)
    std::vector<XmlElement> children;
    int line = 0;
    std::string outerXml; // only for the element names asked for in parseXml (UTF-8)

    const XmlElement* child(std::string_view childName) const;
    std::vector<const XmlElement*> childrenNamed(std::string_view childName) const;
};

struct XmlDocument
{
    XmlElement root;
    std::string declaredEncoding; // as written in the declaration ("" when none)
    TextEncoding encoding = TextEncoding::Utf8;
    std::string utf8; // the whole file as UTF-8 (what snapshots keep as raw XML)
};

// XmlMalformed or XmlEncoding with a message that names the line or byte offset.
Expected<XmlDocument, Error> parseXml(std::string_view bytes,
                                      const std::set<std::string, std::less<>>& keepOuterXml = {},
                                      const XmlLimits& limits = {});

// Builds a document as UTF-8 and converts it at the end.
class XmlWriter
{
public:
    void open(std::string_view name);
    void close();
    // An element with text; empty text is written as <Name/> unless skipped by the caller.
    void leaf(std::string_view name, std::string_view text);
    // Shift_JIS: XmlEncoding when a character has no CP932 mapping (the caller names the field).
    Expected<std::string, Error> finish(TextEncoding encoding) const;

private:
    void indent();
    std::string m_body;
    std::vector<std::string> m_open;
};

std::string escapeXml(std::string_view text);

} // namespace zaitaku::sync::oqs
