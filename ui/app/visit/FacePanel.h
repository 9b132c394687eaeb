#pragma once

// The face check: the live camera picture with the guidance for it ("move closer", "more light"),
// and how many usable frames are in. The picture is only painted: never saved, never kept after
// the next frame.

#include "ui/app/VisitBridge.h"

#include <QWidget>

class QLabel;
class QProgressBar;

namespace zaitaku::app
{

class FacePanel : public QWidget
{
    Q_OBJECT
public:
    FacePanel(bool english, QWidget* parent = nullptr);
    void reset();
    void show(const FacePreview& preview);

private:
    bool m_english;
    QLabel* m_picture;
    QLabel* m_guidance;
    QProgressBar* m_frames;
};

} // namespace zaitaku::app
