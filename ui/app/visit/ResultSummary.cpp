#include "ui/app/visit/ResultSummary.h"

#include "ui/session/RouteView.h"
#include "verify/rules/CardRegistration.h"
#include "verify/rules/DoorCopay.h"
#include "verify/rules/EligibilityCopay.h"

#include <QCoreApplication>

namespace zaitaku::app
{

namespace
{
QString q(const std::string& s)
{
    return QString::fromStdString(s);
}
} // namespace

QString eligibilitySummary(const visit::CachedResult& result,
                           const std::optional<std::chrono::minutes>& age,
                           const base::Date& today)
{
    const auto& s = result.snapshot;
    QStringList lines;
    if (s.qualificationValidity) {
        const bool valid = *s.qualificationValidity == model::QualificationValidity::Valid;
        lines << (valid ? QCoreApplication::translate("ResultSummary", "✓ 資格: 有効")
                        : QCoreApplication::translate("ResultSummary", "⚠ 資格: %1")
                              .arg(q(std::string(base::labelOf(*s.qualificationValidity)))));
    } else {
        lines << QCoreApplication::translate("ResultSummary", "⚠ 資格: 確認できません");
    }
    if (!s.name.empty()) {
        lines << QCoreApplication::translate("ResultSummary", "氏名: %1").arg(q(s.name));
    }
    if (auto copay = rules::eligibilityCopay(s, today)) {
        // Without a ratio from OQS, 70–74 and 後期 show their band (income unknown), not 一般's ratio.
        lines << QCoreApplication::translate("ResultSummary", "負担割合: %1")
                     .arg(q(rules::eligibilityCopayLabel(s, today)));
        // A ratio OQS did not send is the age rule's estimate (income unknown: 一般), and says so.
        if (copay->source == rules::CopaySource::AgeRule) {
            lines.last() +=
                QCoreApplication::translate("ResultSummary", " — 年齢から算出（資格確認結果に負担割合なし）");
        }
        if (copay->ruleDisagrees) {
            lines << QCoreApplication::translate(
                         "ResultSummary", "⚠ 資格確認結果の負担割合（%1割）と年齢による判定（%2割）が異なります。"
                                          "保険者の情報を確認してください")
                         .arg(copay->percent / 10)
                         .arg(*copay->ruleDisagrees / 10);
        }
    }
    if (rules::reportsNotRegistered(s)) {
        lines << QCoreApplication::translate("ResultSummary", "⚠ %1").arg(q(rules::registrationGuidance()));
    }
    lines << QCoreApplication::translate("ResultSummary", "保険者: %1（保険者番号 %2）")
                 .arg(q(s.insurerName), q(s.insurerNumber));
    if (s.limitCertificate && !s.limitCertificate->classificationFlag.empty()) {
        lines << QCoreApplication::translate("ResultSummary", "限度額適用区分: %1")
                     .arg(q(s.limitCertificate->classificationFlag));
    } else {
        lines << QCoreApplication::translate("ResultSummary", "限度額: 情報なし");
    }
    lines << QCoreApplication::translate("ResultSummary", "資格確認の時点: %1（%2）")
                 .arg(q(result.receivedAt.toString()),
                      age ? q(session::ageLabel(*age)) : QCoreApplication::translate("ResultSummary", "不明"));
    return lines.join('\n');
}

} // namespace zaitaku::app
