// ParseXmlRpcCall(): expat's SAX callbacks drive a stack of open elements. Each element checks
// its place in the grammar when it opens and hands its value to its parent when it closes.
// The grammar is the one supervisord's loads() (supervisor/xmlrpc.py) understands; the header
// lists where vigil refuses what supervisord would silently misread.

#include <expat.h>
#include <fmt/format.h>

#include <array>
#include <map>
#include <memory>

#include "base/strings.h"
#include "protocol/py_codecs.h"
#include "protocol/xml_rpc.h"

namespace vigil::protocol {
namespace {

enum class Tag {
  kMethodCall,
  kMethodName,
  kParams,
  kParam,
  kValue,
  kInt,  // the scalars, kInt..kNil, hold text only
  kI4,
  kI8,
  kBoolean,
  kString,
  kDouble,
  kDateTime,
  kBase64,
  kNil,
  kArray,
  kData,
  kStruct,
  kMember,
  kName,
};

constexpr std::array<std::pair<std::string_view, Tag>, 19> kTags = {{
    {"methodCall", Tag::kMethodCall},
    {"methodName", Tag::kMethodName},
    {"params", Tag::kParams},
    {"param", Tag::kParam},
    {"value", Tag::kValue},
    {"int", Tag::kInt},
    {"i4", Tag::kI4},
    {"i8", Tag::kI8},
    {"boolean", Tag::kBoolean},
    {"string", Tag::kString},
    {"double", Tag::kDouble},
    {"dateTime.iso8601", Tag::kDateTime},
    {"base64", Tag::kBase64},
    {"nil", Tag::kNil},
    {"array", Tag::kArray},
    {"data", Tag::kData},
    {"struct", Tag::kStruct},
    {"member", Tag::kMember},
    {"name", Tag::kName},
}};

std::optional<Tag> LookupTag(std::string_view name) {
  for (const auto& [text, tag] : kTags) {
    if (text == name) return tag;
  }
  return std::nullopt;
}

std::string_view NameOf(Tag tag) {
  for (const auto& [text, t] : kTags) {
    if (t == tag) return text;
  }
  return "?";
}

bool IsScalar(Tag tag) { return tag >= Tag::kInt && tag <= Tag::kNil; }
bool IsTextOnly(Tag tag) { return IsScalar(tag) || tag == Tag::kMethodName || tag == Tag::kName; }
bool IsType(Tag tag) { return IsScalar(tag) || tag == Tag::kArray || tag == Tag::kStruct; }

bool IsXmlSpace(std::string_view s) {
  return s.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

// At most 40 bytes of `s`, cut on a character boundary, for a message.
std::string_view Shortened(std::string_view s) {
  constexpr size_t kMax = 40;
  if (s.size() <= kMax) return s;
  size_t cut = kMax;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xc0) == 0x80) --cut;
  return s.substr(0, cut);
}

// A literal for a message: Python-quoted and shortened, e.g. 'ten' or '7777...'...
std::string Quoted(std::string_view s) {
  return PyRepr(Shortened(s)) + (Shortened(s).size() < s.size() ? "..." : "");
}

// An element name from the document for a message, e.g. <i16>.
std::string Element(std::string_view name) {
  return fmt::format("<{}{}>", Shortened(name), Shortened(name).size() < name.size() ? "..." : "");
}

// Whether `parent`, having seen `parent_children` child elements, may hold `child` next.
bool Allows(Tag parent, int children, Tag child) {
  switch (parent) {
    case Tag::kMethodCall:
      return children == 0 ? child == Tag::kMethodName : children == 1 && child == Tag::kParams;
    case Tag::kParams:
      return child == Tag::kParam;
    case Tag::kParam:
      return children == 0 && child == Tag::kValue;
    case Tag::kValue:
      return children == 0 && IsType(child);
    case Tag::kArray:
      return children == 0 && child == Tag::kData;
    case Tag::kData:
      return child == Tag::kValue;
    case Tag::kStruct:
      return child == Tag::kMember;
    case Tag::kMember:
      return children == 0 ? child == Tag::kName : children == 1 && child == Tag::kValue;
    case Tag::kMethodName:
    case Tag::kInt:
    case Tag::kI4:
    case Tag::kI8:
    case Tag::kBoolean:
    case Tag::kString:
    case Tag::kDouble:
    case Tag::kDateTime:
    case Tag::kBase64:
    case Tag::kNil:
    case Tag::kName:
      return false;
  }
  return false;
}

// What `parent` expects next, for the message when Allows() says no.
std::string_view Expected(Tag parent, int children) {
  switch (parent) {
    case Tag::kMethodCall:
      return children == 0 ? "<methodName>" : children == 1 ? "<params> or the end" : "the end";
    case Tag::kParams:
      return "<param> or the end";
    case Tag::kParam:
      return children == 0 ? "<value>" : "the end";
    case Tag::kValue:
      return children == 0 ? "a type such as <string> or <int>" : "the end";
    case Tag::kArray:
      return children == 0 ? "<data>" : "the end";
    case Tag::kData:
      return "<value> or the end";
    case Tag::kStruct:
      return "<member> or the end";
    case Tag::kMember:
      return children == 0 ? "<name>" : children == 1 ? "<value>" : "the end";
    case Tag::kMethodName:
    case Tag::kInt:
    case Tag::kI4:
    case Tag::kI8:
    case Tag::kBoolean:
    case Tag::kString:
    case Tag::kDouble:
    case Tag::kDateTime:
    case Tag::kBase64:
    case Tag::kNil:
    case Tag::kName:
      break;
  }
  return "text only";
}

// The value of a closed scalar element, or what is wrong with its text.
Result<XmlRpcValue> ScalarValue(Tag tag, std::string text) {
  const auto invalid = [&](std::string_view why) {
    return Error::Protocol(fmt::format("<{}> value {} {}", NameOf(tag), Quoted(text), why));
  };
  switch (tag) {
    case Tag::kInt:
    case Tag::kI4:
    case Tag::kI8: {
      Result<int64_t> n = ParsePyInt(text);
      if (!n) return invalid(n.error().message);
      return XmlRpcValue(*n);
    }
    case Tag::kBoolean:
      // As supervisord reads it (x.text == "1"): anything else, "true" included, is false.
      return XmlRpcValue(text == "1");
    case Tag::kString:
      return XmlRpcValue(std::move(text));
    case Tag::kDouble: {
      std::optional<double> d = ParsePyFloat(text);
      if (!d) return invalid("is not a number");
      return XmlRpcValue(*d);
    }
    case Tag::kDateTime:
      if (!IsPyDateTime(text)) return invalid("is not a date and time such as 20240102T03:04:05");
      return XmlRpcValue::DateTime(std::move(text));
    case Tag::kBase64: {
      Result<std::string> bytes = DecodePyBase64(text);
      if (!bytes) return invalid("is not base64 (" + bytes.error().message + ")");
      // supervisord decodes the bytes to a str, so it refuses what is not UTF-8.
      if (!IsValidUtf8(*bytes)) return invalid("does not decode to UTF-8 text");
      return XmlRpcValue::Base64(std::move(*bytes));
    }
    case Tag::kNil:
      if (!IsXmlSpace(text)) return invalid("is not empty");
      return XmlRpcValue::Nil();
    default:
      break;
  }
  return Error::Internal("not a scalar element");
}

// One open element.
struct Frame {
  Tag tag = Tag::kMethodCall;
  unsigned long line = 0;            // where its start tag is, for messages
  unsigned long column = 0;          // 1-based
  int children = 0;                  // child elements seen so far
  std::string text;                  // character data, kept for text-only elements and <value>
  std::optional<XmlRpcValue> value;  // <value>, <param>, <member>, <array>: the child's value
  std::optional<std::string> name;   // <member>: the <name>
  XmlRpcArray items;                 // <data>
  XmlRpcStruct members;              // <struct>
  // <struct>: index of each name in `members`. Python builds a dict, so a repeated name keeps
  // its first position and takes the last value. An ordered map, because a hash map with
  // std::hash's fixed seed could be flooded with colliding names.
  std::map<std::string, size_t, std::less<>> member_index;
};

class CallParser {
 public:
  Result<XmlRpcCall> Parse(std::string_view body);

 private:
  static void OnStart(void* self, const XML_Char* name, const XML_Char** /*attributes*/) {
    static_cast<CallParser*>(self)->Start(name);
  }
  static void OnEnd(void* self, const XML_Char* /*name*/) { static_cast<CallParser*>(self)->End(); }
  static void OnText(void* self, const XML_Char* s, int len) {
    static_cast<CallParser*>(self)->Text(std::string_view(s, static_cast<size_t>(len)));
  }
  static void OnDoctype(void* self, const XML_Char* /*name*/, const XML_Char* /*sysid*/,
                        const XML_Char* /*pubid*/, int /*has_internal_subset*/) {
    // Refused before expat reads the internal subset, so no entity is ever declared.
    auto* parser = static_cast<CallParser*>(self);
    parser->Fail(parser->Line(), parser->Column(), "a DOCTYPE is not allowed in XML-RPC");
  }

  unsigned long Line() const { return XML_GetCurrentLineNumber(parser_); }
  unsigned long Column() const { return XML_GetCurrentColumnNumber(parser_) + 1; }
  void Fail(unsigned long line, unsigned long column, std::string_view message);
  void Fail(const Frame& at, std::string_view message) { Fail(at.line, at.column, message); }

  void Start(std::string_view name);
  void Text(std::string_view text);
  void End();
  void EndValue(Frame& frame);
  void EndMember(Frame& frame);

  XML_Parser parser_ = nullptr;
  std::vector<Frame> stack_;
  XmlRpcCall call_;
  int values_ = 0;
  std::optional<Error> error_;  // once set, every callback returns at once
};

void CallParser::Fail(unsigned long line, unsigned long column, std::string_view message) {
  if (error_) return;
  error_ = Error::Protocol(fmt::format("line {}, column {}: {}", line, column, message));
  XML_StopParser(parser_, XML_FALSE);
}

void CallParser::Start(std::string_view name) {
  if (error_) return;
  if (stack_.empty() && name != "methodCall") {
    return Fail(Line(), Column(),
                fmt::format("the root element is {}, expected <methodCall>", Element(name)));
  }
  const std::optional<Tag> tag = LookupTag(name);
  if (!tag) return Fail(Line(), Column(), fmt::format("unknown element {}", Element(name)));
  if (stack_.size() >= kXmlRpcMaxDepth) {
    return Fail(Line(), Column(),
                fmt::format("elements are nested more than {} deep", kXmlRpcMaxDepth));
  }
  if (!stack_.empty()) {
    Frame& parent = stack_.back();
    if (!Allows(parent.tag, parent.children, *tag)) {
      return Fail(Line(), Column(),
                  fmt::format("unexpected <{}> inside <{}>, expected {}", NameOf(*tag),
                              NameOf(parent.tag), Expected(parent.tag, parent.children)));
    }
    ++parent.children;
  }
  if (tag == Tag::kValue && ++values_ > kXmlRpcMaxValues) {
    return Fail(Line(), Column(),
                fmt::format("the request holds more than {} values", kXmlRpcMaxValues));
  }
  Frame& frame = stack_.emplace_back();
  frame.tag = *tag;
  frame.line = Line();
  frame.column = Column();
}

void CallParser::Text(std::string_view text) {
  if (error_ || stack_.empty()) return;
  Frame& top = stack_.back();
  if (IsTextOnly(top.tag) || top.tag == Tag::kValue) {
    top.text.append(text);
  } else if (!IsXmlSpace(text)) {
    Fail(Line(), Column(),
         fmt::format("unexpected text {} inside <{}>", Quoted(TrimAscii(text)), NameOf(top.tag)));
  }
}

void CallParser::End() {
  if (error_) return;
  Frame frame = std::move(stack_.back());
  stack_.pop_back();
  if (IsScalar(frame.tag)) {
    Result<XmlRpcValue> value = ScalarValue(frame.tag, std::move(frame.text));
    if (!value) return Fail(frame, value.error().message);
    stack_.back().value = std::move(*value);  // the parent is a <value>
    return;
  }
  switch (frame.tag) {
    case Tag::kMethodCall:
      if (frame.children == 0) return Fail(frame, "<methodCall> has no <methodName>");
      return;
    case Tag::kMethodName:
      // supervisord answers 400 to a missing or empty name.
      if (frame.text.empty()) return Fail(frame, "<methodName> is empty");
      call_.method = std::move(frame.text);
      return;
    case Tag::kParams:
      return;
    case Tag::kParam:
      if (!frame.value) return Fail(frame, "<param> has no <value>");
      call_.params.push_back(std::move(*frame.value));
      return;
    case Tag::kValue:
      return EndValue(frame);
    case Tag::kArray:
      // supervisord fails on this too (IndexError in its array unmarshaller).
      if (!frame.value) return Fail(frame, "<array> has no <data>");
      stack_.back().value = std::move(*frame.value);
      return;
    case Tag::kData:
      stack_.back().value = XmlRpcValue(std::move(frame.items));
      return;
    case Tag::kStruct:
      stack_.back().value = XmlRpcValue(std::move(frame.members));
      return;
    case Tag::kMember:
      return EndMember(frame);
    case Tag::kName:
      stack_.back().name = std::move(frame.text);
      return;
    default:
      return;  // the scalars, handled above
  }
}

void CallParser::EndValue(Frame& frame) {
  XmlRpcValue value;
  if (frame.value) {
    // ElementTree would ignore text beside the type element; it is more likely a mistake.
    if (!IsXmlSpace(frame.text)) {
      return Fail(frame, fmt::format("<value> holds text {} beside its type element",
                                     Quoted(TrimAscii(frame.text))));
    }
    value = std::move(*frame.value);
  } else {
    value = XmlRpcValue(std::move(frame.text));  // untyped: a string, whitespace and all
  }
  Frame& parent = stack_.back();
  if (parent.tag == Tag::kData) {
    parent.items.push_back(std::move(value));
  } else {
    parent.value = std::move(value);  // <param> or <member>
  }
}

void CallParser::EndMember(Frame& frame) {
  if (!frame.name) return Fail(frame, "<member> has no <name>");
  if (!frame.value) return Fail(frame, "<member> has no <value>");
  Frame& parent = stack_.back();  // the <struct>
  auto [it, inserted] = parent.member_index.try_emplace(*frame.name, parent.members.size());
  if (inserted) {
    parent.members.push_back({std::move(*frame.name), std::move(*frame.value)});
  } else {
    parent.members[it->second].value = std::move(*frame.value);
  }
}

Result<XmlRpcCall> CallParser::Parse(std::string_view body) {
  if (body.empty()) return Error::Protocol("the request body is empty");
  // "UTF-8" overrides any encoding in the XML declaration: supervisord decodes the body as
  // UTF-8 before parsing, so it does the same.
  std::unique_ptr<XML_ParserStruct, decltype(&XML_ParserFree)> parser(XML_ParserCreate("UTF-8"),
                                                                      &XML_ParserFree);
  Check(parser != nullptr, "XML_ParserCreate: out of memory");
  parser_ = parser.get();
  XML_SetUserData(parser_, this);
  XML_SetElementHandler(parser_, &OnStart, &OnEnd);
  XML_SetCharacterDataHandler(parser_, &OnText);
  XML_SetStartDoctypeDeclHandler(parser_, &OnDoctype);

  constexpr size_t kChunk = size_t{1} << 20;  // XML_Parse takes an int length
  for (size_t offset = 0; offset < body.size();) {
    const size_t n = std::min(kChunk, body.size() - offset);
    const bool last = offset + n == body.size();
    if (XML_Parse(parser_, body.data() + offset, static_cast<int>(n), last) != XML_STATUS_OK) {
      if (error_) return *std::move(error_);
      return Error::Protocol(fmt::format("line {}, column {}: {}", Line(), Column(),
                                         XML_ErrorString(XML_GetErrorCode(parser_))));
    }
    offset += n;
  }
  if (error_) return *std::move(error_);
  return std::move(call_);
}

}  // namespace

Result<XmlRpcCall> ParseXmlRpcCall(std::string_view body) { return CallParser().Parse(body); }

}  // namespace vigil::protocol
