#include "ui/app/AppTranslator.h"

#include <cstring>

namespace zaitaku::app
{

QString AppTranslator::translate(const char* context, const char* sourceText, const char* disambiguation, int n) const
{
    static constexpr const char kPrefix[] = "zaitaku::app::";
    if (context != nullptr && std::strncmp(context, kPrefix, sizeof(kPrefix) - 1) == 0) {
        context += sizeof(kPrefix) - 1;
    }
    return QTranslator::translate(context, sourceText, disambiguation, n);
}

} // namespace zaitaku::app
