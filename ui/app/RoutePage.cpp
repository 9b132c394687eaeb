#include "ui/app/RoutePage.h"

#include "ui/app/AppSession.h"
#include "ui/app/BackgroundWorker.h"
#include "ui/app/Style.h"

#include <QCoreApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QProgressBar>
#include <QTableWidget>
#include <QVBoxLayout>

namespace zaitaku::app
{

namespace
{
using Route = Expected<std::vector<session::RouteEntry>, sync::Error>;

// The flag labels for lupdate (the Japanese text is RouteView's, which the CLI prints too).
[[maybe_unused]] const char* const kFlagTexts[] = {
    QT_TRANSLATE_NOOP("PrecheckFlag", "資格確認結果なし"),
    QT_TRANSLATE_NOOP("PrecheckFlag", "資格確認端末が応答なし"),
    QT_TRANSLATE_NOOP("PrecheckFlag", "電子証明書の有効期限が近い"),
    QT_TRANSLATE_NOOP("PrecheckFlag", "電子証明書の有効期限切れ（猶予期間中）"),
    QT_TRANSLATE_NOOP("PrecheckFlag", "電子証明書が使用できません"),
    QT_TRANSLATE_NOOP("PrecheckFlag", "照会エラー"),
    QT_TRANSLATE_NOOP("PrecheckFlag",
                      "保険証利用登録なし（カードリーダー・マイナポータル等で登録。それまでは資格確認書）"),
    QT_TRANSLATE_NOOP("PrecheckFlag", "資格（無効）: 旧資格情報で請求するか、現在の資格を確認"),
    QT_TRANSLATE_NOOP("PrecheckFlag",
                      "資格変更あり: 新しい資格をマイナ保険証で再確認（またはマイナポータル・資格情報のお知らせ）"),
    QT_TRANSLATE_NOOP("PrecheckFlag", "資格が確認できません"),
    QT_TRANSLATE_NOOP("PrecheckFlag", "氏名に●（外字）を含む: カナ氏名で確認（「●」のままで請求できます）"),
    QT_TRANSLATE_NOOP("PrecheckFlag", "処理結果のお知らせあり"),
    QT_TRANSLATE_NOOP("PrecheckFlag", "70歳到達：負担割合の変更"),
    QT_TRANSLATE_NOOP("PrecheckFlag", "75歳到達：後期高齢者医療へ移行"),
    QT_TRANSLATE_NOOP("PrecheckFlag", "結果が30日以上前"),
    QT_TRANSLATE_NOOP(
        "PrecheckFlag",
        "オフライン初回の資格が確認できませんでした: "
        "次回、資格確認書か資格情報のお知らせ（マイナポータル画面）を見せてもらう（なければ被保険者資格申立書）"),
    QT_TRANSLATE_NOOP(
        "PrecheckFlag",
        "再照会待ち: 送信後にゲートウェイがオンライン資格確認に再照会します（本日の資格はまだ確認されていません）"),
    QT_TRANSLATE_NOOP("PrecheckFlag",
                      "再照会で資格が確認できません（資格（無効）・該当なし等）: 次回はカードで確認するか代替手段"),
    QT_TRANSLATE_NOOP("PrecheckFlag", "再照会で保険者または負担割合が変わりました: 請求先と窓口負担を確認"),
    QT_TRANSLATE_NOOP("PrecheckFlag", "本人と一致しない資格確認結果があります（この患者の結果にはしていません）"),
    QT_TRANSLATE_NOOP("PrecheckFlag", "カナ氏名が名簿と異なります"),
    QT_TRANSLATE_NOOP("PrecheckFlag", "ゲートウェイが再照会できませんでした: 次回はカードか代替手段で確認"),
    QT_TRANSLATE_NOOP("PrecheckFlag", "確認が必要です"),
};

QString flagText(const std::string& flag)
{
    return QCoreApplication::translate("PrecheckFlag", session::flagLabel(flag));
}
} // namespace

QString serviceLabel(model::ServiceKind kind)
{
    return QString::fromStdString(std::string(base::labelOf(kind)));
}

RoutePage::RoutePage(BackgroundWorker& worker, QWidget* parent)
    : QWidget(parent)
    , m_worker(worker)
{
    auto* layout = new QVBoxLayout(this);
    m_date = makeHeading(tr("本日の訪問予定"), this);
    layout->addWidget(m_date);
    m_table = new QTableWidget(0, 4, this);
    m_table->setObjectName("routeTable");
    m_table->setHorizontalHeaderLabels({tr("患者（年齢）"), tr("サービス"), tr("資格確認"), tr("訪問前の注意")});
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_table->verticalHeader()->setVisible(false);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setWordWrap(true);
    layout->addWidget(m_table, 1);
    m_status = makeText(QString(), this);
    m_status->setObjectName("routeStatus");
    layout->addWidget(m_status);
    m_busy = new QProgressBar(this);
    m_busy->setRange(0, 0);
    m_busy->setVisible(false);
    layout->addWidget(m_busy);
    auto* tools = new QHBoxLayout();
    m_precheck = makeButton(tr("訪問前確認を今すぐ行う"), this);
    m_precheck->setObjectName("precheckNow");
    m_cancel = makeButton(tr("キャンセル"), this);
    m_cancel->setObjectName("precheckCancel");
    m_cancel->setVisible(false);
    tools->addWidget(m_precheck);
    tools->addWidget(m_cancel);
    layout->addLayout(tools);
    auto* actions = new QHBoxLayout();
    m_fallback = makeButton(tr("代替手段"), this);
    m_fallback->setObjectName("startFallback");
    m_revisit = makeButton(tr("再訪問（カードなし）"), this);
    m_revisit->setObjectName("startRevisit");
    m_first = makeButton(tr("初回訪問（カード）"), this, true);
    m_first->setObjectName("startFirstVisit");
    m_medinfo = makeButton(tr("お薬・健診"), this);
    m_medinfo->setObjectName("showMedicalInfo");
    actions->addWidget(m_medinfo);
    actions->addWidget(m_fallback);
    actions->addWidget(m_revisit);
    actions->addWidget(m_first);
    layout->addLayout(actions);
    connect(m_precheck, &QPushButton::clicked, this, &RoutePage::precheckNow);
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        ++m_generation; // the answer, when it comes, is dropped; the cache it filled stays
        setBusy(false, tr("訪問前確認をキャンセルしました（取得済みの結果は保存されています）"));
    });
    connect(m_first, &QPushButton::clicked, this, [this] { emitFor(&RoutePage::firstVisit); });
    connect(m_revisit, &QPushButton::clicked, this, [this] { emitFor(&RoutePage::revisit); });
    connect(m_fallback, &QPushButton::clicked, this, [this] { emitFor(&RoutePage::fallback); });
    connect(m_medinfo, &QPushButton::clicked, this, [this] { emitFor(&RoutePage::medicalInfo); });
    connect(m_table, &QTableWidget::itemSelectionChanged, this, [this] {
        const bool any = selected() != nullptr;
        for (auto* b : {m_first, m_revisit, m_fallback, m_medinfo}) {
            b->setEnabled(any);
        }
    });
    for (auto* b : {m_first, m_revisit, m_fallback, m_medinfo}) {
        b->setEnabled(false);
    }
}

void RoutePage::setSession(AppSession* session)
{
    m_session = session;
    refresh();
}

void RoutePage::refresh()
{
    if (!m_session) {
        return;
    }
    AppSession* s = m_session;
    const int generation = m_generation;
    m_worker.run<Route>(
        this, [s] { return s->route(); },
        [this, generation](Route route) {
            if (generation != m_generation) {
                return;
            }
            if (!route) {
                m_status->setText(QStringLiteral("⚠ ") + QString::fromStdString(route.error().message));
                return;
            }
            show(*route);
        });
}

void RoutePage::precheckNow()
{
    if (!m_session) {
        return;
    }
    AppSession* s = m_session;
    const int generation = ++m_generation;
    setBusy(true, tr("訪問前確認をしています…（ゲートウェイに問い合わせ中）"));
    m_worker.run<Route>(
        this, [s] { return s->precheckNow(); },
        [this, generation](Route route) {
            if (generation != m_generation) {
                refresh();
                return;
            }
            if (!route) {
                setBusy(false, QStringLiteral("⚠ ") +
                                   tr("訪問前確認ができませんでした（%1）。キャッシュの結果を表示しています。")
                                       .arg(QString::fromStdString(route.error().message)));
                refresh();
                return;
            }
            setBusy(false, tr("✓ 訪問前確認が終わりました"));
            show(*route);
        });
}

void RoutePage::setBusy(bool busy, const QString& text)
{
    m_busy->setVisible(busy);
    m_cancel->setVisible(busy);
    m_precheck->setEnabled(!busy);
    m_status->setText(text);
}

void RoutePage::show(const std::vector<session::RouteEntry>& entries)
{
    const QString previous = selected() ? QString::fromStdString(selected()->patient.id) : QString();
    m_entries = entries;
    if (m_session) {
        m_date->setText(tr("本日の訪問予定 %1").arg(QString::fromStdString(m_session->clock().todayJst().toString())));
    }
    m_table->setRowCount(static_cast<int>(entries.size()));
    for (int row = 0; row < static_cast<int>(entries.size()); ++row) {
        const auto& e = entries[static_cast<std::size_t>(row)];
        QStringList services;
        for (const auto& c : e.care) {
            services << serviceLabel(c.serviceKind);
        }
        QStringList flags;
        for (const auto& f : e.flags) {
            flags << QStringLiteral("⚠ ") + flagText(f);
        }
        for (const auto& note : e.notes) {
            flags << QStringLiteral("　") + QString::fromStdString(note); // the values behind a flag
        }
        const QString result =
            e.resultAge ? tr("%1に取得").arg(QString::fromStdString(session::ageLabel(*e.resultAge))) : tr("結果なし");
        const QString cells[] = {tr("%1（%2歳）").arg(QString::fromStdString(e.patient.displayName)).arg(e.ageYears),
                                 services.join("\n"), result, flags.isEmpty() ? tr("✓ 注意なし") : flags.join("\n")};
        for (int column = 0; column < 4; ++column) {
            auto* item = new QTableWidgetItem(cells[column]);
            item->setData(Qt::UserRole, QString::fromStdString(e.patient.id));
            if (column == 3 && !flags.isEmpty()) {
                QFont bold = item->font();
                bold.setBold(true);
                item->setFont(bold);
            }
            m_table->setItem(row, column, item);
        }
    }
    m_table->resizeRowsToContents();
    if (!previous.isEmpty()) {
        select(previous);
    }
}

void RoutePage::select(const QString& patientId)
{
    for (int row = 0; row < m_table->rowCount(); ++row) {
        if (m_table->item(row, 0)->data(Qt::UserRole).toString() == patientId) {
            m_table->selectRow(row);
            return;
        }
    }
}

const session::RouteEntry* RoutePage::selected() const
{
    const auto rows = m_table->selectionModel() ? m_table->selectionModel()->selectedRows() : QModelIndexList();
    if (rows.isEmpty() || rows.first().row() >= static_cast<int>(m_entries.size())) {
        return nullptr;
    }
    return &m_entries[static_cast<std::size_t>(rows.first().row())];
}

void RoutePage::emitFor(void (RoutePage::*signal)(QString, QString, QString))
{
    if (const auto* e = selected()) {
        const auto kind = e->care.empty() ? model::ServiceKind::HoumonShinryo : e->care.front().serviceKind;
        Q_EMIT(this->*signal)
        (QString::fromStdString(e->patient.id), QString::fromStdString(e->patient.displayName),
         QString::fromStdString(std::string(base::toCode(kind))));
    }
}

} // namespace zaitaku::app
