#include "sync/oqs/Xml.h"

#include <algorithm>
#include <cstring>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <memory>

namespace zaitaku::sync::oqs
{

namespace
{

Unexpected<Error> malformed(const std::string& message, const std::string& where = {})
{
    return Unexpected(Error{Errc::XmlMalformed, message, where});
}

std::string lower(std::string_view s)
{
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

// The encoding named in <?xml ... encoding="..."?>, or "" when there is no declaration or no name.
std::string declaredEncodingOf(std::string_view bytes)
{
    if (bytes.substr(0, 3) == "\xEF\xBB\xBF") {
        bytes.remove_prefix(3);
    }
    if (bytes.substr(0, 5) != "<?xml") {
        return {};
    }
    const auto end = bytes.find("?>");
    const auto decl = bytes.substr(0, end == std::string_view::npos ? std::min<std::size_t>(bytes.size(), 200) : end);
    const auto at = decl.find("encoding");
    if (at == std::string_view::npos) {
        return {};
    }
    auto rest = decl.substr(at + 8);
    const auto quote = rest.find_first_of("\"'");
    if (quote == std::string_view::npos) {
        return {};
    }
    const char q = rest[quote];
    rest.remove_prefix(quote + 1);
    const auto close = rest.find(q);
    return close == std::string_view::npos ? std::string() : std::string(rest.substr(0, close));
}

Expected<TextEncoding, Error> encodingFor(const std::string& declared, std::string_view bytes)
{
    const auto name = lower(declared);
    if (name == "shift_jis" || name == "shift-jis" || name == "sjis" || name == "cp932" || name == "windows-31j" ||
        name == "ms932" || name == "x-sjis") {
        return TextEncoding::ShiftJis;
    }
    if (name == "utf-8" || name == "utf8") {
        return TextEncoding::Utf8;
    }
    if (!name.empty()) {
        return Unexpected(Error{Errc::XmlEncoding,
                                "the declared encoding '" + declared + "' is not accepted (only Shift_JIS or UTF-8)",
                                "encoding"});
    }
    if (firstInvalidUtf8(bytes) == std::string_view::npos) {
        return TextEncoding::Utf8;
    }
    // No declaration and not UTF-8: CharacterCodeIdentifier decides (its bytes are ASCII in both).
    if (bytes.find("<CharacterCodeIdentifier>1</CharacterCodeIdentifier>") != std::string_view::npos) {
        return TextEncoding::ShiftJis;
    }
    const auto bad = firstInvalidUtf8(bytes);
    return Unexpected(
        Error{Errc::XmlEncoding,
              "the file declares no encoding and is not UTF-8 (first bad byte at offset " + std::to_string(bad) + ")",
              "offset " + std::to_string(bad)});
}

struct DocFree
{
    void operator()(xmlDoc* doc) const { xmlFreeDoc(doc); }
};

struct Walk
{
    const std::set<std::string, std::less<>>& keep;
    const XmlLimits& limits;
    std::size_t elements = 0;
};

Expected<void, Error> convertNode(xmlDoc* doc, xmlNode* node, XmlElement& out, int depth, Walk& walk)
{
    if (depth > walk.limits.maxDepth) {
        return malformed("elements are nested deeper than " + std::to_string(walk.limits.maxDepth) + " levels",
                         "line " + std::to_string(xmlGetLineNo(node)));
    }
    if (++walk.elements > walk.limits.maxElements) {
        return malformed("more than " + std::to_string(walk.limits.maxElements) + " elements");
    }
    out.name = reinterpret_cast<const char*>(node->name);
    out.line = static_cast<int>(xmlGetLineNo(node));
    if (walk.keep.count(out.name)) {
        std::unique_ptr<xmlBuffer, decltype(&xmlBufferFree)> buffer(xmlBufferCreate(), &xmlBufferFree);
        if (buffer && xmlNodeDump(buffer.get(), doc, node, 0, 0) >= 0) {
            out.outerXml.assign(reinterpret_cast<const char*>(xmlBufferContent(buffer.get())),
                                static_cast<std::size_t>(xmlBufferLength(buffer.get())));
        }
    }
    for (xmlNode* c = node->children; c; c = c->next) {
        if (c->type == XML_ELEMENT_NODE) {
            out.children.emplace_back();
            if (auto done = convertNode(doc, c, out.children.back(), depth + 1, walk); !done) {
                return done;
            }
        } else if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
            if (c->content) {
                out.text += reinterpret_cast<const char*>(c->content);
            }
        } else if (c->type == XML_ENTITY_REF_NODE) {
            return malformed("entity references are not accepted", "line " + std::to_string(xmlGetLineNo(c)));
        }
    }
    if (!out.children.empty()) {
        // Only whitespace between child elements: not a value.
        if (out.text.find_first_not_of(" \t\r\n") == std::string::npos) {
            out.text.clear();
        }
    }
    return {};
}

void silence(void*, const char*, ...) {}

} // namespace

const XmlElement* XmlElement::child(std::string_view childName) const
{
    for (const auto& c : children) {
        if (c.name == childName) {
            return &c;
        }
    }
    return nullptr;
}

std::vector<const XmlElement*> XmlElement::childrenNamed(std::string_view childName) const
{
    std::vector<const XmlElement*> out;
    for (const auto& c : children) {
        if (c.name == childName) {
            out.push_back(&c);
        }
    }
    return out;
}

Expected<XmlDocument, Error>
parseXml(std::string_view bytes, const std::set<std::string, std::less<>>& keepOuterXml, const XmlLimits& limits)
{
    if (bytes.size() > limits.maxBytes) {
        return malformed("the file is " + std::to_string(bytes.size()) + " bytes; the limit is " +
                         std::to_string(limits.maxBytes));
    }
    if (bytes.empty()) {
        return malformed("the file is empty");
    }
    // Both encodings keep ASCII as ASCII, so this check is safe before decoding.
    if (bytes.find("<!DOCTYPE") != std::string_view::npos || bytes.find("<!ENTITY") != std::string_view::npos) {
        return malformed("a DOCTYPE or entity declaration is not accepted in an OQS file");
    }
    XmlDocument document;
    document.declaredEncoding = declaredEncodingOf(bytes);
    auto encoding = encodingFor(document.declaredEncoding, bytes);
    if (!encoding) {
        return Unexpected(encoding.error());
    }
    document.encoding = *encoding;
    std::string utf8;
    if (*encoding == TextEncoding::ShiftJis) {
        auto converted = shiftJisToUtf8(bytes);
        if (!converted) {
            return Unexpected(converted.error());
        }
        utf8 = std::move(*converted);
    } else {
        if (const auto bad = firstInvalidUtf8(bytes); bad != std::string_view::npos) {
            return Unexpected(
                Error{Errc::XmlEncoding,
                      "the file says UTF-8 but the byte at offset " + std::to_string(bad) + " is not valid UTF-8",
                      "offset " + std::to_string(bad)});
        }
        utf8.assign(bytes);
    }
    if (utf8.size() > static_cast<std::size_t>(INT32_MAX)) {
        return malformed("the file is too large");
    }
    // No NOENT (entities stay references and are refused), no DTDLOAD, no network, no huge.
    const int options = XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_NOERROR | XML_PARSE_NOWARNING;
    xmlSetGenericErrorFunc(nullptr, silence);
    std::unique_ptr<xmlDoc, DocFree> doc(
        xmlReadMemory(utf8.data(), static_cast<int>(utf8.size()), "oqs.xml", "UTF-8", options));
    if (!doc) {
        const xmlError* error = xmlGetLastError();
        std::string message = error && error->message ? error->message : "not well-formed XML";
        while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) {
            message.pop_back();
        }
        const int line = error ? error->line : 0;
        xmlResetLastError();
        return malformed("not well-formed XML at line " + std::to_string(line) + ": " + message,
                         "line " + std::to_string(line));
    }
    if (doc->intSubset || doc->extSubset) {
        return malformed("a DOCTYPE is not accepted in an OQS file");
    }
    xmlNode* root = xmlDocGetRootElement(doc.get());
    if (!root) {
        return malformed("the document has no root element");
    }
    Walk walk{keepOuterXml, limits};
    if (auto done = convertNode(doc.get(), root, document.root, 1, walk); !done) {
        return Unexpected(done.error());
    }
    document.utf8 = std::move(utf8);
    return document;
}

std::string escapeXml(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        default:
            out += c;
        }
    }
    return out;
}

void XmlWriter::indent()
{
    m_body.append(m_open.size() * 2, ' ');
}

void XmlWriter::open(std::string_view name)
{
    indent();
    m_body += "<" + std::string(name) + ">\n";
    m_open.emplace_back(name);
}

void XmlWriter::close()
{
    const std::string name = m_open.back();
    m_open.pop_back();
    indent();
    m_body += "</" + name + ">\n";
}

void XmlWriter::leaf(std::string_view name, std::string_view text)
{
    indent();
    if (text.empty()) {
        m_body += "<" + std::string(name) + "/>\n";
        return;
    }
    m_body += "<" + std::string(name) + ">" + escapeXml(text) + "</" + std::string(name) + ">\n";
}

Expected<std::string, Error> XmlWriter::finish(TextEncoding encoding) const
{
    // The declaration the public writers use [S:4][U:2].
    const std::string text =
        "<?xml version=\"1.0\" encoding=\"" + std::string(encodingName(encoding)) + "\" standalone=\"no\"?>\n" + m_body;
    return encodeText(text, encoding);
}

} // namespace zaitaku::sync::oqs
