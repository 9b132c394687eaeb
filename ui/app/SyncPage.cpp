#include "ui/app/SyncPage.h"

#include "ui/app/AppSession.h"
#include "ui/app/BackgroundWorker.h"
#include "ui/app/Style.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QProgressBar>
#include <QVBoxLayout>
#include <cstdlib>

namespace zaitaku::app
{

namespace
{
using Status = Expected<sync::client::SyncStatus, sync::Error>;
using Report = Expected<sync::client::SyncReport, sync::Error>;
constexpr std::int64_t kSkewWarningSeconds = 300;
} // namespace

SyncPage::SyncPage(BackgroundWorker& worker, const AppSettings& settings, QWidget* parent)
    : QWidget(parent)
    , m_worker(worker)
    , m_settings(settings)
{
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(makeHeading(tr("送信状況"), this));
    m_gateway = makeText(QString(), this);
    m_gateway->setObjectName("syncGateway");
    m_counts = makeHeading(QString(), this);
    m_counts->setObjectName("syncCounts");
    m_lastSuccess = makeText(QString(), this);
    m_lastSuccess->setObjectName("syncLastSuccess");
    m_skew = makeWarning(QString(), this);
    m_skew->setObjectName("syncSkew");
    m_message = makeText(QString(), this);
    m_message->setObjectName("syncMessage");
    for (auto* w : {m_gateway, m_counts, m_lastSuccess, m_skew, m_message}) {
        layout->addWidget(w);
    }
    layout->addWidget(makeText(tr("送信不可（要対応）の記録:"), this));
    m_dead = new QListWidget(this);
    m_dead->setObjectName("deadLetters");
    layout->addWidget(m_dead, 1);
    m_busy = new QProgressBar(this);
    m_busy->setRange(0, 0);
    m_busy->setVisible(false);
    layout->addWidget(m_busy);
    auto* row = new QHBoxLayout();
    m_retry = makeButton(tr("選んだ記録を再送する"), this);
    m_retry->setObjectName("retryDeadLetter");
    m_cancel = makeButton(tr("キャンセル"), this);
    m_cancel->setObjectName("syncCancel");
    m_cancel->setVisible(false);
    m_sync = makeButton(tr("今すぐ送信"), this, true);
    m_sync->setObjectName("syncNow");
    row->addWidget(m_retry);
    row->addWidget(m_cancel);
    row->addWidget(m_sync);
    layout->addLayout(row);
    connect(m_sync, &QPushButton::clicked, this, &SyncPage::syncNow);
    connect(m_retry, &QPushButton::clicked, this, &SyncPage::retrySelected);
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        ++m_generation;
        setBusy(false);
        m_message->setText(tr("待つのをやめました。送信中の処理は時間内に終わり、未送信の記録は次回送信されます。"));
    });
}

void SyncPage::setSession(AppSession* session)
{
    m_session = session;
    refresh();
}

void SyncPage::setBusy(bool busy)
{
    m_busy->setVisible(busy);
    m_cancel->setVisible(busy);
    m_sync->setEnabled(!busy);
}

QString SyncPage::ago(const base::Timestamp& then, const base::Timestamp& now)
{
    // In words, in the screen's language (session::timeAgoJa is the CLI's Japanese).
    const auto minutes = std::chrono::duration_cast<std::chrono::minutes>(now.utc() - then.utc()).count();
    if (minutes < 1) {
        return tr("たった今");
    }
    if (minutes < 60) {
        return tr("%1分前").arg(minutes);
    }
    if (minutes < 24 * 60) {
        return tr("%1時間前").arg(minutes / 60);
    }
    return tr("%1日前").arg(minutes / (24 * 60));
}

void SyncPage::refresh()
{
    if (!m_session) {
        return;
    }
    AppSession* s = m_session;
    m_worker.run<Status>(
        this, [s] { return s->syncStatus(); },
        [this](Status status) {
            if (!status) {
                m_message->setText(QStringLiteral("⚠ ") + QString::fromStdString(status.error().message));
                return;
            }
            const auto& st = *status;
            m_gateway->setText(st.enrolled
                                   ? tr("ゲートウェイ: %1（端末ID %2）")
                                         .arg(QString::fromStdString(st.gateway), QString::fromStdString(st.deviceId))
                                   : QStringLiteral("⚠ ") + tr("ゲートウェイ未登録: 設定画面で登録してください"));
            m_counts->setText(tr("送信待ち %1 ／ 送信中 %2 ／ 送信済み %3 ／ 送信不可 %4")
                                  .arg(st.queued)
                                  .arg(st.sending)
                                  .arg(st.acked)
                                  .arg(st.deadLetter));
            m_lastSuccess->setText(
                tr("最後に送信できた時刻: %1")
                    .arg(st.lastSuccess ? QString::fromStdString(*st.lastSuccess) : tr("まだありません")) +
                (st.lastError ? tr("\n直近のエラー: %1").arg(QString::fromStdString(*st.lastError)) : QString()));
            const bool skewed = st.skewSeconds && std::llabs(*st.skewSeconds) > kSkewWarningSeconds;
            m_skew->setVisible(skewed);
            if (skewed) {
                m_skew->setText(
                    QStringLiteral("⚠ ") +
                    tr("端末の時計がゲートウェイと %1 秒ずれています。時刻を確認してください。").arg(*st.skewSeconds));
            }
            m_dead->clear();
            for (const auto& d : st.deadLetters) {
                auto* item =
                    new QListWidgetItem(QStringLiteral("#%1 %2 %3 — %4")
                                            .arg(d.seq)
                                            .arg(QString::fromStdString(d.kind), QString::fromStdString(d.recordId),
                                                 QString::fromStdString(d.reason)),
                                        m_dead);
                item->setData(Qt::UserRole, QVariant::fromValue<qlonglong>(d.seq));
            }
            m_retry->setEnabled(!st.deadLetters.empty());
            // The header in words (issue 31): what waits, and when the gateway last took everything.
            std::optional<base::Timestamp> last;
            if (auto parsed = base::Timestamp::parse(st.lastSuccess.value_or("")); parsed) {
                last = *parsed;
            }
            const QString when = last && m_session ? ago(*last, m_session->clock().nowJst()) : tr("未送信");
            Q_EMIT summaryChanged(tr("送信待ち %1").arg(st.queued + st.sending) + tr("・最終送信 %1").arg(when) +
                                  (st.deadLetter > 0 ? tr(" ⚠ 送信不可 %1").arg(st.deadLetter) : QString()));
        });
}

void SyncPage::syncNow()
{
    if (!m_session) {
        return;
    }
    AppSession* s = m_session;
    const int generation = ++m_generation;
    setBusy(true);
    m_message->setText(tr("送信しています…"));
    m_worker.run<Report>(
        this, [s] { return s->syncNow(); },
        [this, generation](Report report) {
            if (generation != m_generation) {
                refresh();
                return;
            }
            setBusy(false);
            if (!report) {
                m_message->setText(QStringLiteral("⚠ ") +
                                   tr("送信できません: %1").arg(QString::fromStdString(report.error().message)));
            } else if (report->error) {
                m_message->setText(QStringLiteral("⚠ ") +
                                   tr("途中で止まりました（%1）。%2 件を送信、残りは次回送信します。")
                                       .arg(QString::fromStdString(report->error->message))
                                       .arg(report->stored));
            } else {
                m_message->setText(
                    tr("✓ 送信しました: %1 件（うち以前に届いていたもの %2 件、送信不可 %3 件）、結果 %4 件を受信")
                        .arg(report->stored + report->duplicates)
                        .arg(report->duplicates)
                        .arg(report->deadLettered)
                        .arg(report->snapshotsApplied));
            }
            refresh();
        });
}

void SyncPage::retrySelected()
{
    auto* item = m_dead->currentItem();
    if (!m_session || !item) {
        m_message->setText(tr("再送する記録を選んでください"));
        return;
    }
    const std::int64_t seq = item->data(Qt::UserRole).toLongLong();
    const std::string staff = m_settings.staffId.toStdString(); // set at sign-in
    AppSession* s = m_session;
    m_worker.run<Expected<bool, sync::Error>>(
        this, [s, seq, staff] { return s->retryDeadLetter(seq, staff); },
        [this](Expected<bool, sync::Error> done) {
            m_message->setText(done && *done ? tr("再送待ちに戻しました。次の送信で送ります。")
                                             : QStringLiteral("⚠ ") + tr("再送できませんでした"));
            refresh();
        });
}

} // namespace zaitaku::app
