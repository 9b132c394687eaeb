#pragma once

// The English translation as the screens ask for it. tr() in a class of namespace zaitaku::app
// asks with the qualified class name ("zaitaku::app::RoutePage"), while lupdate (Qt 6.4) does not
// parse C++17 nested namespace definitions and files the strings under the bare name ("RoutePage").
// This translator looks under the bare name, so the .ts stays what lupdate writes.

#include <QTranslator>

namespace zaitaku::app
{

class AppTranslator final : public QTranslator
{
public:
    using QTranslator::QTranslator;
    QString translate(const char* context,
                      const char* sourceText,
                      const char* disambiguation = nullptr,
                      int n = -1) const override;
};

} // namespace zaitaku::app
