#include "ui/app/SettingsPage.h"

#include "ui/app/AppSession.h"
#include "ui/app/BackgroundWorker.h"
#include "ui/app/Style.h"

#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QScrollArea>
#include <QSpinBox>
#include <QVBoxLayout>

namespace zaitaku::app
{

namespace
{
using Readers = Expected<std::vector<device::ReaderState>, device::Error>;
using Enrolled = Expected<sync::client::EnrollmentResult, sync::Error>;
} // namespace

SettingsPage::SettingsPage(BackgroundWorker& worker, const AppSettings& settings, QWidget* parent)
    : QWidget(parent)
    , m_worker(worker)
    , m_settings(settings)
{
    auto* outer = new QVBoxLayout(this);
    auto* scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    auto* content = new QWidget(scroll);
    auto* layout = new QVBoxLayout(content);
    layout->addWidget(makeHeading(tr("設定"), content));
    auto* form = new QFormLayout();
    m_reader = new QComboBox(content);
    m_reader->setObjectName("settingsReader");
    auto* readerRow = new QHBoxLayout();
    readerRow->addWidget(m_reader, 1);
    auto* refresh = makeButton(tr("再検出"), content);
    readerRow->addWidget(refresh);
    form->addRow(tr("カードリーダー"), readerRow);
    m_camera = new QLineEdit(settings.cameraSource, content);
    m_camera->setObjectName("settingsCamera");
    m_camera->setPlaceholderText(tr("camera:0（空欄: 顔認証を使わない）"));
    form->addRow(tr("カメラ"), m_camera);
    m_autoLock = new QSpinBox(content);
    m_autoLock->setObjectName("settingsAutoLock");
    m_autoLock->setRange(1, settings.maxAutoLockMinutes); // the administrator's cap (AppPolicy)
    m_autoLock->setValue(settings.autoLockMinutes);
    m_autoLock->setSuffix(tr(" 分"));
    form->addRow(tr("操作がないときの自動ロック"), m_autoLock);
    m_facility = new QLineEdit(settings.facilityId, content);
    m_facility->setObjectName("settingsFacility");
    form->addRow(tr("事業所ID"), m_facility);
    m_language = new QComboBox(content);
    m_language->setObjectName("settingsLanguage");
    m_language->addItem(QStringLiteral("日本語"), QStringLiteral("ja"));
    m_language->addItem(QStringLiteral("English"), QStringLiteral("en"));
    m_language->setCurrentIndex(settings.language == QLatin1String("en") ? 1 : 0);
    form->addRow(tr("言語 / Language"), m_language);
    m_textSize = new QComboBox(content);
    m_textSize->setObjectName("settingsTextSize");
    m_textSize->addItems({tr("標準（16pt）"), tr("大きい（20pt）"), tr("特大（24pt）")});
    m_textSize->setCurrentIndex(static_cast<int>(settings.textSize));
    form->addRow(tr("文字の大きさ"), m_textSize);
    layout->addLayout(form);
    auto* save = makeButton(tr("設定を保存"), content, true);
    save->setObjectName("settingsSave");
    layout->addWidget(save);

    layout->addWidget(makeHeading(tr("ゲートウェイへの登録"), content));
    auto* enrollForm = new QFormLayout();
    m_gateway = new QLineEdit(content);
    m_gateway->setObjectName("enrollGateway");
    m_gateway->setPlaceholderText(QStringLiteral("https://gateway.example:8443"));
    enrollForm->addRow(tr("ゲートウェイのURL"), m_gateway);
    m_code = new QLineEdit(content);
    m_code->setObjectName("enrollCode");
    enrollForm->addRow(tr("登録コード（1回限り）"), m_code);
    m_label = new QLineEdit(content);
    m_label->setObjectName("enrollLabel");
    enrollForm->addRow(tr("この端末の名前"), m_label);
    layout->addLayout(enrollForm);
    auto* enroll = makeButton(tr("登録する"), content);
    enroll->setObjectName("enroll");
    layout->addWidget(enroll);
    m_message = makeText(QString(), content);
    m_message->setObjectName("settingsMessage");
    layout->addWidget(m_message);
    layout->addStretch(1);
    scroll->setWidget(content);
    outer->addWidget(scroll);
    connect(refresh, &QPushButton::clicked, this, &SettingsPage::refreshReaders);
    connect(save, &QPushButton::clicked, this, &SettingsPage::save);
    connect(enroll, &QPushButton::clicked, this, &SettingsPage::enroll);
    m_reader->addItem(tr("自動（カードのあるリーダー）"), QString());
}

void SettingsPage::setSession(AppSession* session)
{
    m_session = session;
    refreshReaders();
}

void SettingsPage::refreshReaders()
{
    if (!m_session) {
        return;
    }
    AppSession* s = m_session;
    m_worker.run<Readers>(
        this, [s] { return s->readers(); },
        [this](Readers readers) {
            m_reader->clear();
            m_reader->addItem(tr("自動（カードのあるリーダー）"), QString());
            if (!readers) {
                m_message->setText(QStringLiteral("⚠ ") +
                                   tr("カードリーダー: %1").arg(QString::fromStdString(readers.error().message)));
            } else {
                for (const auto& r : *readers) {
                    QString text =
                        QStringLiteral("%1 (%2)").arg(QString::fromStdString(r.name), QString::fromStdString(r.id));
                    if (!r.problem.empty()) {
                        text += QStringLiteral(" ⚠ ") + QString::fromStdString(r.problem);
                    }
                    m_reader->addItem(text, QString::fromStdString(r.id));
                }
            }
            if (const int i = m_reader->findData(m_settings.readerId); i >= 0) {
                m_reader->setCurrentIndex(i);
            }
        });
}

void SettingsPage::save()
{
    m_settings.readerId = m_reader->currentData().toString();
    m_settings.cameraSource = m_camera->text().trimmed();
    m_settings.autoLockMinutes = m_autoLock->value();
    m_settings.facilityId = m_facility->text().trimmed();
    m_settings.language = m_language->currentData().toString();
    m_settings.textSize = static_cast<TextSize>(m_textSize->currentIndex());
    Q_EMIT settingsChanged(m_settings);
}

void SettingsPage::enroll()
{
    if (!m_session) {
        return;
    }
    AppSession* s = m_session;
    const std::string url = m_gateway->text().trimmed().toStdString();
    const std::string code = m_code->text().trimmed().toStdString();
    const std::string label = m_label->text().trimmed().toStdString();
    m_code->clear();
    m_message->setText(tr("登録しています…"));
    m_worker.run<Enrolled>(
        this, [s, url, code, label] { return s->enroll(url, code, label); },
        [this](Enrolled result) {
            if (!result) {
                m_message->setText(QStringLiteral("⚠ ") +
                                   tr("登録できませんでした: %1").arg(QString::fromStdString(result.error().message)));
                return;
            }
            m_message->setText(
                tr("✓ 登録しました: 端末ID %1（%2）")
                    .arg(QString::fromStdString(result->deviceId), QString::fromStdString(result->tlsVersion)));
            Q_EMIT enrolled();
        });
}

} // namespace zaitaku::app
