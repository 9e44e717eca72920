#include "core/torch/torchmodelwriter.h"

#include "core/io/mappedfile.h"
#include "core/torch/torchmodelsource.h"
#include "core/torch/torchpickle.h"
#include "core/torch/torchtensors.h"

#include <QDir>
#include <QFileInfo>
#include <QSaveFile>

#include <caffe2/serialize/inline_container.h>
#include <torch/script.h>

#include <map>
#include <streambuf>

namespace hc {

namespace {

QString qPath(const std::string &p)
{
    return QString::fromStdString(p);
}

// A QSaveFile that knows the target's name for error sentences.
class AtomicOutput {
public:
    explicit AtomicOutput(const std::string &path) : m_path(path), m_file(qPath(path)) {}
    Status open()
    {
        const QFileInfo info(qPath(m_path));
        if (info.isDir())
            return Status::failure(m_path + ": is a folder, not a file");
        if (!info.absoluteDir().exists())
            return Status::failure(m_path + ": the folder " + info.absolutePath().toStdString() + " does not exist");
        if (!m_file.open(QIODevice::WriteOnly))
            return Status::failure(m_path + ": cannot be written (" + m_file.errorString().toStdString() + ")");
        return {};
    }
    bool write(const void *data, std::size_t n)
    {
        if (m_failed)
            return false;
        const char *p = static_cast<const char *>(data);
        while (n > 0) {
            const qint64 w = m_file.write(p, qint64(n));
            if (w <= 0) {
                m_failed = true;
                return false;
            }
            p += w;
            n -= std::size_t(w);
        }
        return true;
    }
    bool failed() const { return m_failed; }
    std::string writeError() const { return m_path + ": writing failed (" + m_file.errorString().toStdString() + ")"; }
    Status commit()
    {
        if (m_failed)
            return Status::failure(writeError());
        if (!m_file.commit()) // flushes, syncs and renames
            return Status::failure(m_path + ": the finished file could not be put in place (" + m_file.errorString().toStdString() + ")");
        return {};
    }
    void cancel()
    {
        if (m_file.isOpen())
            m_file.cancelWriting();
    }
    ~AtomicOutput() { cancel(); } // QSaveFile removes its temporary file when not committed

private:
    std::string m_path;
    QSaveFile m_file;
    bool m_failed = false;
};

// std::ostream onto an AtomicOutput, for Module::save.
class OutputBuf : public std::streambuf {
public:
    explicit OutputBuf(AtomicOutput &out) : m_out(out) {}

protected:
    std::streamsize xsputn(const char *s, std::streamsize n) override { return m_out.write(s, std::size_t(n)) ? n : 0; }
    int_type overflow(int_type c) override
    {
        if (traits_type::eq_int_type(c, traits_type::eof()))
            return traits_type::not_eof(c);
        const char ch = traits_type::to_char_type(c);
        return m_out.write(&ch, 1) ? c : traits_type::eof();
    }

private:
    AtomicOutput &m_out;
};

bool cancelled(ProgressSink *p)
{
    return p && p->cancelRequested();
}

bool sameFile(const std::string &a, const std::string &b)
{
    const QFileInfo fa(qPath(a)), fb(qPath(b));
    return fa.exists() && fb.exists() && fa.canonicalFilePath() == fb.canonicalFilePath();
}

} // namespace

Status TorchModelWriter::writeStateDict(const std::string &path, const std::vector<std::string> &names, const TensorProvider &tensorAt,
                                        ProgressSink *progress)
{
    if (names.empty())
        return Status::failure(path + ": there are no tensors to write");
    AtomicOutput out(path);
    if (Status s = out.open(); !s)
        return s;
    if (progress)
        progress->setStep("Writing " + path);
    std::vector<TorchPickle::Entry> entries;
    entries.reserve(names.size());
    try {
        // Our writer never reports a short write to LibTorch (it would throw from a destructor);
        // failures are kept in `out` and checked after each record.
        caffe2::serialize::PyTorchStreamWriter zip([&out](const void *data, std::size_t n) -> std::size_t {
            out.write(data, n);
            return n;
        });
        for (std::size_t i = 0; i < names.size(); ++i) {
            if (cancelled(progress))
                return Status::failure(path + ": writing was cancelled");
            Result<TensorData> t = tensorAt(i);
            if (!t)
                return Status::failure(t.error());
            if (!TorchPickle::storageTypeName(t->dtype))
                return Status::failure(path + ": tensor \"" + names[i] + "\" has element type " + dtypeName(t->dtype)
                                       + ", which a PyTorch state dict cannot hold");
            if (t->bytes.size() != t->numel() * dtypeSize(t->dtype))
                return Status::failure(path + ": tensor \"" + names[i] + "\" holds " + std::to_string(t->bytes.size())
                                       + " bytes where its shape needs " + std::to_string(t->numel() * dtypeSize(t->dtype)));
            zip.writeRecord("data/" + std::to_string(i), t->bytes.data(), t->bytes.size());
            if (out.failed())
                return Status::failure(out.writeError());
            entries.push_back({names[i], t->dtype, t->shape});
            if (progress)
                progress->setProgress(double(i + 1) / double(names.size()));
        }
        Result<std::vector<char>> pkl = TorchPickle::writeStateDictPickle(entries);
        if (!pkl)
            return Status::failure(path + ": " + pkl.error());
        zip.writeRecord("data.pkl", pkl->data(), pkl->size());
        zip.writeEndOfFile();
    } catch (const std::exception &e) {
        return Status::failure(path + ": the state dict could not be written (" + torchErrorText(e) + ")");
    }
    return out.commit();
}

Status TorchModelWriter::writeTorchScript(const std::string &path, const std::string &likePath, const std::vector<std::string> &names,
                                          const TensorProvider &tensorAt, ProgressSink *progress)
{
    if (sameFile(path, likePath))
        return Status::failure(path + ": is the TorchScript module being restored; write the restored model to another file");
    {
        auto file = MappedFile::open(likePath); // the same wording as everywhere for a missing file or a folder
        if (!file)
            return Status::failure(file.error());
        if ((*file)->size() == 0)
            return Status::failure(likePath + ": the file is empty");
    }
    limitTorchThreads();
    if (progress)
        progress->setStep("Writing " + path);
    torch::jit::Module module;
    try {
        module = torch::jit::load(likePath, c10::Device(c10::kCPU));
    } catch (const std::exception &e) {
        return Status::failure(likePath + ": cannot be loaded as a TorchScript module (" + torchErrorText(e) + ")");
    }
    try {
        std::map<std::string, at::Tensor> targets;
        for (const auto &p : module.named_parameters(/*recurse=*/true))
            targets.emplace(p.name, p.value);
        for (const auto &b : module.named_buffers(/*recurse=*/true))
            targets.emplace(b.name, b.value);

        torch::NoGradGuard noGrad;
        for (std::size_t i = 0; i < names.size(); ++i) {
            if (cancelled(progress))
                return Status::failure(path + ": writing was cancelled");
            auto it = targets.find(names[i]);
            if (it == targets.end())
                return Status::failure(likePath + ": the module has no parameter or buffer named \"" + names[i] + "\"");
            Result<TensorData> data = tensorAt(i);
            if (!data)
                return Status::failure(data.error());
            at::Tensor &target = it->second;
            if (data->shape != target.sizes().vec())
                return Status::failure(path + ": tensor \"" + names[i] + "\" has shape " + c10::str(c10::IntArrayRef(data->shape))
                                       + " but the module's has shape " + c10::str(target.sizes()));
            Result<at::Tensor> value = tensorFromData(*data);
            if (!value)
                return Status::failure(path + ": tensor \"" + names[i] + "\": " + value.error());
            // copy_ keeps the module's own storage, dtype and requires_grad flag
            target.detach().copy_(*value);
            if (progress)
                progress->setProgress(double(i + 1) / double(names.size()));
        }
        AtomicOutput out(path);
        if (Status s = out.open(); !s)
            return s;
        OutputBuf buf(out);
        std::ostream stream(&buf);
        module.save(stream);
        stream.flush();
        if (!stream || out.failed())
            return Status::failure(out.writeError());
        return out.commit();
    } catch (const std::exception &e) {
        return Status::failure(path + ": the TorchScript module could not be written (" + torchErrorText(e) + ")");
    }
}

} // namespace hc
