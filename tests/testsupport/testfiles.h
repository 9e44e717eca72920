#pragma once

// Small file helpers shared by the tests that write, damage and re-read model and archive files.

#include <QByteArray>
#include <QFile>
#include <QString>
#include <QtTest>

namespace hc::testsupport {

// The whole file, or an empty array when it cannot be read.
inline QByteArray readBytes(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll();
}

// Writes `bytes` as the whole file; fails the calling test when it cannot.
inline void writeBytes(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    QCOMPARE(f.write(bytes), bytes.size());
}

} // namespace hc::testsupport
