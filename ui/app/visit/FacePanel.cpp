#include "ui/app/visit/FacePanel.h"

#include "ui/app/Style.h"

#include <QLabel>
#include <QPixmap>
#include <QProgressBar>
#include <QVBoxLayout>

namespace zaitaku::app
{

FacePanel::FacePanel(bool english, QWidget* parent)
    : QWidget(parent)
    , m_english(english)
{
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(makeHeading(tr("顔認証: カメラに顔を向けてください"), this));
    m_picture = new QLabel(this);
    m_picture->setObjectName("facePicture");
    m_picture->setMinimumSize(320, 240);
    m_picture->setAlignment(Qt::AlignCenter);
    layout->addWidget(m_picture, 1);
    m_guidance = makeHeading(QString(), this);
    m_guidance->setObjectName("faceGuidance");
    layout->addWidget(m_guidance);
    m_frames = new QProgressBar(this);
    m_frames->setObjectName("faceFrames");
    m_frames->setFormat(tr("確認に使える画像 %v / %m"));
    layout->addWidget(m_frames);
}

void FacePanel::reset()
{
    m_picture->clear();
    m_picture->setText(tr("カメラを起動しています…"));
    m_guidance->clear();
    m_frames->setRange(0, 5);
    m_frames->setValue(0);
}

void FacePanel::show(const FacePreview& preview)
{
    m_picture->setPixmap(QPixmap::fromImage(preview.frame).scaled(m_picture->size(), Qt::KeepAspectRatio));
    const QString guidance = m_english ? preview.guidanceEn : preview.guidance;
    m_guidance->setText(guidance.isEmpty() ? tr("✓ そのままお待ちください") : QStringLiteral("⚠ ") + guidance);
    m_frames->setRange(0, std::max(1, preview.framesWanted));
    m_frames->setValue(preview.usableFrames);
}

} // namespace zaitaku::app
