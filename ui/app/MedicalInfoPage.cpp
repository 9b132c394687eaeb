#include "ui/app/MedicalInfoPage.h"

#include "ui/app/AppSession.h"
#include "ui/app/BackgroundWorker.h"
#include "ui/app/Style.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace zaitaku::app
{

namespace
{

QString q(const std::string& text)
{
    return QString::fromStdString(text);
}

QTableWidget* makeTable(const QStringList& headers, const char* name, QWidget* parent)
{
    auto* table = new QTableWidget(0, static_cast<int>(headers.size()), parent);
    table->setObjectName(name);
    table->setHorizontalHeaderLabels(headers);
    table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    table->horizontalHeader()->setStretchLastSection(true);
    table->verticalHeader()->setVisible(false);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setSelectionMode(QAbstractItemView::NoSelection);
    table->setWordWrap(true);
    return table;
}

void addRow(QTableWidget* table, const QStringList& cells)
{
    const int row = table->rowCount();
    table->insertRow(row);
    for (int c = 0; c < cells.size(); ++c) {
        table->setItem(row, c, new QTableWidgetItem(cells[c]));
    }
}

QString dateOf(const std::optional<base::Date>& d)
{
    return d ? q(d->toString()) : MedicalInfoPage::tr("日付不明");
}

} // namespace

MedicalInfoPage::MedicalInfoPage(BackgroundWorker& worker, QWidget* parent)
    : QWidget(parent)
    , m_worker(worker)
{
    auto* layout = new QVBoxLayout(this);
    m_title = makeHeading(tr("お薬・健診"), this);
    layout->addWidget(m_title);
    m_status = makeText(QString(), this);
    m_status->setObjectName("medinfoStatus");
    layout->addWidget(m_status);
    m_warnings = makeText(QString(), this);
    m_warnings->setObjectName("medinfoWarnings");
    layout->addWidget(m_warnings);
    // The drug first (what the nurse compares with the medicine box), who dispensed it last.
    m_medications =
        makeTable({tr("日付"), tr("薬品"), tr("用量"), tr("用法"), tr("日数"), tr("区分"), tr("薬局・医療機関")},
                  "medicationTable", this);
    layout->addWidget(m_medications, 3);
    m_checkups = makeTable({tr("健診日"), tr("項目"), tr("結果"), tr("判定")}, "checkupTable", this);
    layout->addWidget(m_checkups, 2);
    auto* actions = new QHBoxLayout();
    m_back = makeButton(tr("戻る"), this);
    m_back->setObjectName("medinfoBack");
    m_fetch = makeButton(tr("最新を取得"), this, true);
    m_fetch->setObjectName("medinfoFetch");
    actions->addWidget(m_back);
    actions->addStretch(1);
    actions->addWidget(m_fetch);
    layout->addLayout(actions);
    connect(m_back, &QPushButton::clicked, this, &MedicalInfoPage::back);
    connect(m_fetch, &QPushButton::clicked, this, [this] { fetch(m_staffId); });
}

void MedicalInfoPage::setSession(AppSession* session)
{
    m_session = session;
}

void MedicalInfoPage::showPatient(const QString& patientId, const QString& name, const QString& serviceKind)
{
    m_patientId = patientId;
    m_serviceKind = serviceKind;
    m_title->setText(tr("お薬・健診: %1").arg(name));
    show({}, QString());
    if (!m_session) {
        return;
    }
    using Report = Expected<session::MedicalInfoReport, sync::Error>;
    AppSession* s = m_session;
    const std::string id = patientId.toStdString();
    m_worker.run<Report>(
        this, [s, id] { return s->medicalInfo(id); },
        [this](Report report) {
            if (!report) {
                m_status->setText(QStringLiteral("⚠ ") + q(report.error().message));
                return;
            }
            show(*report, QString());
        });
}

void MedicalInfoPage::fetch(const QString& staffId)
{
    m_staffId = staffId;
    if (!m_session || m_patientId.isEmpty()) {
        return;
    }
    m_fetch->setEnabled(false);
    m_status->setText(tr("ゲートウェイに問い合わせています…"));
    struct Fetched
    {
        Expected<sync::protocol::MedicalInfoAnswer, sync::Error> answer;
        Expected<session::MedicalInfoReport, sync::Error> report;
    };
    AppSession* s = m_session;
    const std::string id = m_patientId.toStdString();
    const std::string kind = m_serviceKind.toStdString();
    const std::string staff = staffId.toStdString();
    m_worker.run<std::shared_ptr<Fetched>>(
        this,
        [s, id, kind, staff] {
            auto answer = s->fetchMedicalInfo(id, kind, staff);
            return std::make_shared<Fetched>(Fetched{std::move(answer), s->medicalInfo(id)});
        },
        [this](std::shared_ptr<Fetched> f) {
            m_fetch->setEnabled(true);
            if (!f->report) {
                m_status->setText(QStringLiteral("⚠ ") + q(f->report.error().message));
                return;
            }
            const QString reason = !f->answer ? tr("ゲートウェイに接続できません（%1）。端末内の情報を表示しています。")
                                                    .arg(q(f->answer.error().message))
                                   : f->answer->allowed ? QString()
                                                        : q(f->answer->reasonJa);
            show(*f->report, reason);
        });
}

void MedicalInfoPage::show(const session::MedicalInfoReport& report, const QString& gatewayReason)
{
    m_report = report;
    m_medications->setRowCount(0);
    m_checkups->setRowCount(0);
    m_warnings->clear();
    if (!report.viewable) {
        m_status->setText(QStringLiteral("⚠ ") + (gatewayReason.isEmpty() ? q(report.reasonJa) : gatewayReason));
        return;
    }
    // The session's clock, not the machine's: tests and demos move it.
    const auto now = m_session ? m_session->clock().nowJst() : base::Timestamp::fromUtc({});
    QString status = tr("取得: %1").arg(report.fetchedAt ? q(session::timeAgoJa(*report.fetchedAt, now)) : QString());
    if (report.viewUntil) {
        status += QStringLiteral("　") +
                  tr("閲覧可能: %1まで（%2）")
                      .arg(q(session::jstMinutes(*report.viewUntil)), q(session::timeLeftJa(*report.viewUntil, now)));
    }
    if (!gatewayReason.isEmpty()) {
        status += QStringLiteral("\n⚠ ") + gatewayReason;
    }
    m_status->setText(status);
    QStringList warnings;
    for (const auto& w : report.warnings) {
        warnings << QStringLiteral("⚠ ") + q(w);
    }
    m_warnings->setText(warnings.join(QLatin1Char('\n')));
    for (const auto& m : report.medications) {
        const QString facility = m.prescriber.empty() || m.prescriber == m.facility
                                     ? q(m.facility)
                                     : tr("%1（処方: %2）").arg(q(m.facility), q(m.prescriber));
        for (const auto& d : m.drugs) {
            addRow(m_medications, {dateOf(m.date), q(d.name), q(d.dose), q(d.usage), tr("%1日分").arg(q(d.days)),
                                   q(m.source), facility});
        }
    }
    for (const auto& c : report.checkups) {
        for (const auto& i : c.items) {
            addRow(m_checkups, {dateOf(c.date), q(i.name), q(i.value + (i.unit.empty() ? "" : " " + i.unit)),
                                i.mark ? QStringLiteral("⚠ ") + tr("基準外（%1）").arg(q(i.mark->limit)) : QString()});
        }
    }
}

} // namespace zaitaku::app
