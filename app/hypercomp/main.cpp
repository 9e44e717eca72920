// hypercomp: the command line. All the work is in cli/ (tested in-process); this only binds it
// to the process's arguments and streams.
#include "cli/hypercompcli.h"

#include <QCoreApplication>

#include <iostream>
#include <unistd.h>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("hypercomp"));
    std::vector<std::string> args(argv + 1, argv + argc);
    return hc::runHypercomp(args, std::cout, std::cerr, isatty(STDERR_FILENO) != 0);
}
