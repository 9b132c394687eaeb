#pragma once

// Labelled pairs in LFW's pairs.txt format, so a facility can calibrate on its own pictures laid out
// as LFW is: IMAGES/<name>/<name>_<NNNN>.jpg. Lines:
//   N [M]                       header (ignored)
//   name  i  j                  the same person: name_i vs name_j
//   name1 i  name2 j            two different people
// Blank lines and lines starting with '#' are skipped.

#include "base/Expected.h"
#include "verify/identity/IdentityError.h"

#include <string>
#include <string_view>
#include <vector>

namespace zaitaku::identity::face
{

struct LabelledPair
{
    std::string imageA;
    std::string imageB;
    bool genuine = false;
};

// Errc::InvalidInput naming the line for anything else.
Expected<std::vector<LabelledPair>, Error> parsePairs(std::string_view text, const std::string& imageRoot);

// The path of picture `index` of `name` under `root`: root/name/name_0001.jpg.
std::string lfwImagePath(const std::string& root, const std::string& name, int index);

} // namespace zaitaku::identity::face
