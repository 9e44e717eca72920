#include "core/util/atomicfile.h"

#include <QDir>
#include <QFileInfo>
#include <QSaveFile>

namespace hc {

Status writeFileAtomically(const std::string &path, const QByteArray &bytes, const std::string &what)
{
    const QString qpath = QString::fromStdString(path);
    const QFileInfo info(qpath);
    if (!info.absoluteDir().exists())
        return Status::failure(path + ": cannot be written because the folder " + info.absolutePath().toStdString() +
                               " does not exist");
    if (info.isDir())
        return Status::failure(path + ": cannot be written because it is a folder");
    QSaveFile f(qpath);
    if (!f.open(QIODevice::WriteOnly))
        return Status::failure(path + ": cannot be written (" + f.errorString().toStdString() + ")");
    if (f.write(bytes) != bytes.size() || !f.commit())
        return Status::failure(path + ": " + what + " (" + f.errorString().toStdString() + ")");
    return {};
}

} // namespace hc
