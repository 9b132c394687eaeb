#include "ui/app/CustodyPage.h"

#include "sync/store/PatientRoster.h"
#include "ui/app/AppSession.h"
#include "ui/app/BackgroundWorker.h"
#include "ui/app/Style.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QScrollArea>
#include <QTableWidget>
#include <QVBoxLayout>

namespace zaitaku::app
{

namespace
{
struct Ledger
{
    std::vector<sync::store::CustodyStatus> cards;
    std::vector<model::Patient> patients;
    std::vector<std::string> custodians;
    std::optional<sync::Error> error;
};
} // namespace

CustodyPage::CustodyPage(BackgroundWorker& worker, const AppSettings& settings, QWidget* parent)
    : QWidget(parent)
    , m_worker(worker)
    , m_settings(settings)
{
    // The custody form (agreement, storage, custodians) scrolls rather than push the window past an
    // 800-pixel tablet screen.
    auto* outer = new QVBoxLayout(this);
    auto* scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto* content = new QWidget(scroll);
    auto* layout = new QVBoxLayout(content);
    layout->addWidget(makeHeading(tr("カードの預かり管理"), this));
    m_table = new QTableWidget(0, 5, this);
    m_table->setObjectName("custodyTable");
    m_table->setHorizontalHeaderLabels({tr("患者"), tr("状態"), tr("現在の保管者"), tr("目的・時刻"), tr("返却期限")});
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_table->verticalHeader()->setVisible(false);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    layout->addWidget(m_table, 1);
    auto* form = new QFormLayout();
    m_patient = new QComboBox(this);
    m_patient->setObjectName("custodyPatient");
    form->addRow(tr("患者"), m_patient);
    m_staff = new QLineEdit(settings.staffId, this);
    m_staff->setObjectName("custodyStaff");
    m_staff->setReadOnly(true); // the signed-in staff handles the card
    form->addRow(tr("職員"), m_staff);
    m_purpose = new QLineEdit(this);
    m_purpose->setObjectName("custodyPurpose");
    form->addRow(tr("持ち出しの目的"), m_purpose);
    m_witness = new QLineEdit(this);
    m_witness->setObjectName("custodyWitness");
    form->addRow(tr("立会人（任意）"), m_witness);
    // A facility holds a card on an agreement, in locked storage, handled by named staff [seed 004].
    m_agreement = new QLineEdit(this);
    m_agreement->setObjectName("custodyAgreement");
    form->addRow(tr("預かりの根拠（入所契約・預かり証）"), m_agreement);
    m_location = new QLineEdit(this);
    m_location->setObjectName("custodyLocation");
    form->addRow(tr("保管場所（鍵付きロッカー等）"), m_location);
    m_custodians = new QLineEdit(this);
    m_custodians->setObjectName("custodians");
    m_custodians->setPlaceholderText(tr("未設定（職員IDをカンマ区切りで）"));
    auto* custodianRow = new QHBoxLayout();
    custodianRow->addWidget(m_custodians, 1);
    auto* saveCustodians = makeButton(tr("保存"), this);
    saveCustodians->setObjectName("custodiansSave");
    custodianRow->addWidget(saveCustodians);
    form->addRow(tr("カード管理者"), custodianRow);
    connect(saveCustodians, &QPushButton::clicked, this, &CustodyPage::saveCustodians);
    layout->addLayout(form);
    m_message = makeText(QString(), this);
    m_message->setObjectName("custodyMessage");
    layout->addWidget(m_message);
    auto* row = new QHBoxLayout();
    auto* deposit = makeButton(tr("預かる"), this);
    deposit->setObjectName("custodyDeposit");
    auto* checkout = makeButton(tr("持ち出す"), this);
    checkout->setObjectName("custodyCheckout");
    auto* giveBack = makeButton(tr("返却する"), this);
    giveBack->setObjectName("custodyReturn");
    row->addWidget(deposit);
    row->addWidget(checkout);
    row->addWidget(giveBack);
    auto* lost = makeButton(tr("紛失を記録"), this);
    lost->setObjectName("custodyLost");
    row->addWidget(lost);
    layout->addLayout(row);
    connect(lost, &QPushButton::clicked, this, [this] { record(static_cast<int>(model::CustodyAction::Lost)); });
    scroll->setWidget(content);
    outer->addWidget(scroll);
    connect(deposit, &QPushButton::clicked, this, [this] { record(static_cast<int>(model::CustodyAction::Deposit)); });
    connect(checkout, &QPushButton::clicked, this,
            [this] { record(static_cast<int>(model::CustodyAction::Checkout)); });
    connect(giveBack, &QPushButton::clicked, this, [this] { record(static_cast<int>(model::CustodyAction::Return)); });
}

void CustodyPage::setSession(AppSession* session)
{
    m_session = session;
    refresh();
}

void CustodyPage::refresh()
{
    m_staff->setText(m_settings.staffId);
    if (!m_session) {
        return;
    }
    AppSession* s = m_session;
    const int hours = m_settings.maxCheckoutHours;
    m_worker.run<Ledger>(
        this,
        [s, hours] {
            Ledger ledger;
            auto cards = s->custody(hours);
            auto patients = sync::store::PatientRoster::list(s->store().db());
            auto custodians = s->custodians();
            if (!cards || !patients || !custodians) {
                ledger.error = !cards ? cards.error() : !patients ? patients.error() : custodians.error();
                return ledger;
            }
            ledger.custodians = std::move(*custodians);
            ledger.cards = std::move(*cards);
            ledger.patients = std::move(*patients);
            return ledger;
        },
        [this](Ledger ledger) {
            if (ledger.error) {
                m_message->setText(QStringLiteral("⚠ ") + QString::fromStdString(ledger.error->message));
                return;
            }
            QStringList custodians;
            for (const auto& id : ledger.custodians) {
                custodians << QString::fromStdString(id);
            }
            m_custodians->setText(custodians.join(QStringLiteral(",")));
            const QString current = m_patient->currentData().toString();
            m_patient->clear();
            std::map<std::string, QString> names;
            for (const auto& p : ledger.patients) {
                names[p.id] = QString::fromStdString(p.displayName);
                m_patient->addItem(QString::fromStdString(p.displayName), QString::fromStdString(p.id));
            }
            if (const int i = m_patient->findData(current); i >= 0) {
                m_patient->setCurrentIndex(i);
            }
            m_table->setRowCount(static_cast<int>(ledger.cards.size()));
            for (int row = 0; row < static_cast<int>(ledger.cards.size()); ++row) {
                const auto& c = ledger.cards[static_cast<std::size_t>(row)];
                const bool out = c.last.action == model::CustodyAction::Checkout;
                const QString cells[] = {
                    names.count(c.patientId) ? names[c.patientId] : QString::fromStdString(c.patientId),
                    QString::fromStdString(std::string(base::labelOf(c.last.action))),
                    QString::fromStdString(out ? c.last.staffId : c.last.facilityId),
                    (out ? QString::fromStdString(c.last.purpose) + QStringLiteral(" / ") : QString()) +
                        QString::fromStdString(c.last.at.toString()),
                    c.overdue ? QStringLiteral("⚠ ") + tr("返却期限超過") : (out ? tr("期限内") : QStringLiteral("—"))};
                for (int column = 0; column < 5; ++column) {
                    auto* item = new QTableWidgetItem(cells[column]);
                    if (c.overdue) {
                        QFont bold = item->font();
                        bold.setBold(true);
                        item->setFont(bold);
                    }
                    m_table->setItem(row, column, item);
                }
            }
        });
}

void CustodyPage::record(int actionValue)
{
    const auto action = static_cast<model::CustodyAction>(actionValue);
    if (!m_session || m_patient->currentIndex() < 0) {
        m_message->setText(QStringLiteral("⚠ ") + tr("患者を選んでください"));
        return;
    }
    model::CustodyEvent event;
    event.patientId = m_patient->currentData().toString().toStdString();
    event.facilityId = m_settings.facilityId.isEmpty() ? "facility" : m_settings.facilityId.toStdString();
    event.action = action;
    event.staffId = m_settings.staffId.toStdString();
    event.witnessId = m_witness->text().trimmed().toStdString();
    event.purpose = action == model::CustodyAction::Checkout ? m_purpose->text().trimmed().toStdString() : "";
    if (action == model::CustodyAction::Deposit || action == model::CustodyAction::Return) {
        event.storageLocation = m_location->text().trimmed().toStdString();
    }
    if (action == model::CustodyAction::Deposit) {
        event.agreementRef = m_agreement->text().trimmed().toStdString();
    }
    if (event.staffId.empty()) {
        m_message->setText(QStringLiteral("⚠ ") + tr("職員がサインインしていません"));
        return;
    }
    AppSession* s = m_session;
    m_worker.run<Expected<model::CustodyEvent, sync::Error>>(
        this, [s, event] { return s->recordCustody(event); },
        [this](Expected<model::CustodyEvent, sync::Error> done) {
            if (!done) {
                m_message->setText(QStringLiteral("⚠ ") + QString::fromStdString(done.error().message));
                return;
            }
            m_message->setText(
                tr("✓ 記録しました: %1").arg(QString::fromStdString(std::string(base::labelOf(done->action)))));
            if (done->action == model::CustodyAction::Lost) {
                m_message->setText(m_message->text() + QStringLiteral("\n⚠ ") +
                                   QCoreApplication::translate("CustodyPage", model::kLostCardGuidance));
            }
            m_purpose->clear();
            refresh();
        });
}

void CustodyPage::saveCustodians()
{
    if (!m_session) {
        return;
    }
    std::vector<std::string> ids;
    for (const auto& part : m_custodians->text().split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        ids.push_back(part.trimmed().toStdString());
    }
    AppSession* s = m_session;
    const std::string actor = m_settings.staffId.toStdString();
    m_worker.run<Expected<void, sync::Error>>(
        this, [s, ids, actor] { return s->setCustodians(ids, actor); },
        [this](Expected<void, sync::Error> done) {
            m_message->setText(done ? tr("✓ カード管理者を保存しました")
                                    : QStringLiteral("⚠ ") + QString::fromStdString(done.error().message));
            refresh();
        });
}

} // namespace zaitaku::app
