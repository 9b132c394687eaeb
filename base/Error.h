#pragma once

// The error value every library returns across its boundary: a library-specific code
// (an enum class with a toString() overload in the library's namespace), a human message,
// and optionally the input field the error is about.

#include <string>
#include <utility>

namespace zaitaku
{

template <typename Code> struct BasicError
{
    Code code{};
    std::string message;
    std::string field; // empty when the error is not about one input field

    BasicError() = default;
    BasicError(Code c, std::string msg, std::string fieldName = {})
        : code(c)
        , message(std::move(msg))
        , field(std::move(fieldName))
    {}
};

} // namespace zaitaku
