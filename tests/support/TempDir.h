#pragma once

// A fresh directory under the system temporary directory (mkdtemp), for tests that write files.

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>

namespace zaitaku::testing
{

inline std::filesystem::path makeTempDir(const std::string& prefix)
{
    std::string pattern = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
    if (mkdtemp(pattern.data()) == nullptr) {
        throw std::runtime_error("mkdtemp failed");
    }
    return pattern;
}

} // namespace zaitaku::testing
