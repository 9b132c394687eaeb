#include "ui/app/UnlockPage.h"

#include "sync/store/StoreLifecycle.h"
#include "ui/app/BackgroundWorker.h"
#include "ui/app/NumericKeypad.h"
#include "ui/app/Style.h"

#include <QFileInfo>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QRegularExpression>
#include <QVBoxLayout>

namespace zaitaku::app
{

namespace
{
using Opened = Expected<std::unique_ptr<AppSession>, sync::Error>;
}

UnlockPage::UnlockPage(
    BackgroundWorker& worker, SessionParts parts, const QString& storePath, const QString& lastStaffId, QWidget* parent)
    : QWidget(parent)
    , m_worker(worker)
    , m_parts(std::move(parts))
{
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(makeHeading(tr("在宅 — サインイン"), this));
    layout->addWidget(makeText(
        tr("職員IDとご自身の暗証番号（またはパスワード）、端末の暗号化データを開くパスフレーズを入力してください。"),
        this));
    auto* form = new QFormLayout();
    // Issue 31: the store comes from the settings (or the default place), never typed on a tablet.
    m_path = new QLineEdit(storePath.isEmpty() ? AppSettings::defaultStorePath() : storePath, this);
    m_path->setObjectName("storePath");
    form->addRow(tr("データファイル"), m_path);
    form->setRowVisible(m_path, false);
    m_staff = new QLineEdit(lastStaffId, this);
    m_staff->setObjectName("signInStaff");
    m_staff->setInputMethodHints(Qt::ImhLatinOnly | Qt::ImhNoAutoUppercase | Qt::ImhNoPredictiveText);
    form->addRow(tr("職員ID"), m_staff);
    // Security review H3: each person's own PIN or passphrase, checked against the accounts the
    // gateway sent (a tablet without any yet signs in by the store passphrase alone).
    m_staffSecret = new QLineEdit(this);
    m_staffSecret->setObjectName("staffSecret");
    m_staffSecret->setEchoMode(QLineEdit::Password);
    // Mostly a PIN: the app's keypad shows for it (a passphrase still types on the system keyboard).
    m_staffSecret->setInputMethodHints(Qt::ImhPreferNumbers | Qt::ImhSensitiveData | Qt::ImhNoPredictiveText |
                                       Qt::ImhHiddenText);
    form->addRow(tr("職員の暗証番号・パスワード"), m_staffSecret);
    m_passphrase = new QLineEdit(this);
    m_passphrase->setObjectName("passphrase");
    m_passphrase->setEchoMode(QLineEdit::Password);
    m_passphrase->setInputMethodHints(Qt::ImhSensitiveData | Qt::ImhNoPredictiveText | Qt::ImhHiddenText);
    form->addRow(tr("パスフレーズ"), m_passphrase);
    m_repeat = new QLineEdit(this);
    m_repeat->setObjectName("passphraseRepeat");
    m_repeat->setEchoMode(QLineEdit::Password);
    m_repeat->setInputMethodHints(Qt::ImhSensitiveData | Qt::ImhNoPredictiveText | Qt::ImhHiddenText);
    form->addRow(tr("パスフレーズ（新規作成時に再入力）"), m_repeat);
    layout->addLayout(form);
    layout->addWidget(new NumericKeypad(this));
    m_message = makeText(QString(), this);
    m_message->setObjectName("unlockMessage");
    layout->addWidget(m_message);
    layout->addStretch(1);
    m_create = makeButton(tr("新しく作成する"), this);
    m_create->setObjectName("createStore");
    // Only while the tablet is being set up: no store there yet (nobody makes a second one).
    m_create->setVisible(!QFileInfo::exists(m_path->text()));
    form->setRowVisible(m_repeat, !QFileInfo::exists(m_path->text()));
    m_unlock = makeButton(tr("開く"), this, true);
    m_unlock->setObjectName("unlock");
    layout->addWidget(m_create);
    layout->addWidget(m_unlock);
    connect(m_unlock, &QPushButton::clicked, this, &UnlockPage::unlock);
    connect(m_passphrase, &QLineEdit::returnPressed, this, &UnlockPage::unlock);
    connect(m_create, &QPushButton::clicked, this, &UnlockPage::create);
}

bool UnlockPage::validStaffId(const QString& staffId)
{
    static const QRegularExpression pattern(QStringLiteral("^[A-Za-z0-9._-]{2,32}$"));
    return pattern.match(staffId).hasMatch();
}

QString UnlockPage::staffOrSay()
{
    const QString staff = m_staff->text().trimmed();
    if (!validStaffId(staff)) {
        m_message->setText(QStringLiteral("⚠ ") + tr("職員IDを入力してください（英数字と - _ . の2〜32文字）。"));
        return {};
    }
    return staff;
}

void UnlockPage::unlock()
{
    const QString path = m_path->text().trimmed();
    const QString staff = staffOrSay();
    std::string passphrase = m_passphrase->text().toStdString();
    std::string staffSecret = m_staffSecret->text().toStdString();
    m_passphrase->clear();
    m_repeat->clear();
    m_staffSecret->clear();
    if (staff.isEmpty()) {
        std::fill(passphrase.begin(), passphrase.end(), '\0');
        std::fill(staffSecret.begin(), staffSecret.end(), '\0');
        return;
    }
    if (path.isEmpty() || !QFileInfo::exists(path)) {
        m_message->setText(QStringLiteral("⚠ ") +
                           tr("データファイルがありません。新しい端末では「新しく作成する」を使ってください。"));
        return;
    }
    m_message->setText(tr("開いています…"));
    m_unlock->setEnabled(false);
    SessionParts parts = m_parts;
    m_worker.run<Opened>(
        this,
        [p = path.toStdString(), pass = std::move(passphrase), secret = std::move(staffSecret),
         id = staff.toStdString(), parts]() mutable -> Opened {
            auto opened = AppSession::unlock(p, std::move(pass), parts);
            if (opened) {
                auto signedIn = (*opened)->signInStaff(id, secret); // dropping the session closes the store
                std::fill(secret.begin(), secret.end(), '\0');
                if (!signedIn) {
                    return Unexpected(signedIn.error());
                }
            }
            return opened;
        },
        [this, path, staff](Opened opened) {
            m_unlock->setEnabled(true);
            if (!opened) {
                const auto& e = opened.error();
                m_message->setText(QStringLiteral("⚠ ") +
                                   (e.code == sync::Errc::WrongKey ? tr("パスフレーズが違います。")
                                    : e.code == sync::Errc::Unauthorized && e.field == "retry_at"
                                        ? tr("間違いが続いたため、しばらく待ってからやり直してください。") +
                                              QString::fromStdString(" (" + e.message + ")")
                                    : e.code == sync::Errc::Unauthorized
                                        ? tr("職員IDまたは暗証番号・パスワードが違います。")
                                        : QString::fromStdString(e.message)));
                return;
            }
            m_message->clear();
            Q_EMIT unlocked(std::shared_ptr<AppSession>(std::move(*opened)), path, staff);
        });
}

void UnlockPage::create()
{
    const QString path = m_path->text().trimmed();
    const QString staff = staffOrSay();
    if (staff.isEmpty()) {
        return;
    }
    const QString passphrase = m_passphrase->text();
    const bool same = passphrase == m_repeat->text();
    m_repeat->clear();
    if (path.isEmpty() || QFileInfo::exists(path)) {
        m_message->setText(QStringLiteral("⚠ ") + tr("そのファイルは既にあります。「開く」を使ってください。"));
        return;
    }
    if (!same || passphrase.size() < 12) {
        m_message->setText(QStringLiteral("⚠ ") + tr("パスフレーズは12文字以上で、2回同じものを入力してください。"));
        return;
    }
    m_passphrase->clear();
    m_message->setText(tr("作成しています…"));
    SessionParts parts = m_parts;
    using Created = std::pair<Opened, std::string>; // the session and the recovery code (shown once)
    m_worker.run<Created>(
        this,
        [p = path.toStdString(), pass = passphrase.toStdString(), parts]() mutable -> Created {
            auto created = sync::store::initStore(p, pass, {}, parts.random, parts.clock);
            std::fill(pass.begin(), pass.end(), '\0');
            if (!created) {
                return {Opened(Unexpected(created.error())), std::string()};
            }
            std::string recovery = std::move(created->recoveryCode);
            return {AppSession::adopt(std::make_unique<sync::store::Store>(std::move(created->store)), parts),
                    std::move(recovery)};
        },
        [this, path, staff](Created created) {
            auto& opened = created.first;
            if (!opened) {
                m_message->setText(QStringLiteral("⚠ ") + QString::fromStdString(opened.error().message));
                return;
            }
            Q_EMIT recoveryCodeShown(QString::fromStdString(created.second));
            std::fill(created.second.begin(), created.second.end(), '\0');
            Q_EMIT unlocked(std::shared_ptr<AppSession>(std::move(*opened)), path, staff);
        });
}

} // namespace zaitaku::app
