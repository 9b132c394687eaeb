#pragma once

// F5: the consent to share medical information, all at once or item by item (診療, 薬剤, 手術,
// 特定健診), and 処方箋の発行方法. The consent text the record names (its version and words: the
// one for all items, or each item's) is always on the screen while the patient answers; every
// offered item is answered explicitly (nothing is pre-ticked).

#include "ui/app/VisitBridge.h"

#include <QWidget>
#include <map>
#include <optional>

class QButtonGroup;
class QCheckBox;
class QLabel;
class QRadioButton;
class QTextBrowser;
class QGridLayout;
class QVBoxLayout;

namespace zaitaku::app
{

class ConsentPanel : public QWidget
{
    Q_OBJECT
public:
    explicit ConsentPanel(QWidget* parent = nullptr);
    void ask(const visit::ConsentPrompt& prompt, Reply<visit::ConsentAnswer> reply);

private:
    void modeChanged();
    void showText();
    void submit();

    QLabel* m_version;
    QLabel* m_notes;
    QRadioButton* m_all;
    QRadioButton* m_perItem;
    QRadioButton* m_none;
    QGridLayout* m_items;
    std::map<model::ConsentKind, QCheckBox*> m_boxes;
    QRadioButton* m_electronic;
    QRadioButton* m_paper;
    QLabel* m_limitLabel;
    QRadioButton* m_limitProvide;
    QRadioButton* m_limitDecline;
    QLabel* m_prescriptionLabel;
    QTextBrowser* m_text;
    QLabel* m_error;
    visit::ConsentPrompt m_prompt;
    std::optional<Reply<visit::ConsentAnswer>> m_reply;
};

QString consentLabel(model::ConsentKind kind);

} // namespace zaitaku::app
