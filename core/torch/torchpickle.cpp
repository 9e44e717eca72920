#include "core/torch/torchpickle.h"

#include "core/tensor/tensorview.h"

#include <cstdio>
#include <cstring>
#include <memory>
#include <set>
#include <utility>

namespace hc {

namespace {

// ---- a value of the pickle machine ------------------------------------------------------------

struct PValue;
using PPtr = std::shared_ptr<PValue>;

struct PValue {
    enum class Kind { None, Bool, Int, BigInt, Float, Str, Bytes, List, Tuple, Dict, Set, Global, Storage, Tensor, Object };
    Kind kind = Kind::None;
    std::int64_t i = 0;
    double f = 0;
    std::string s;  // Str, Bytes; Global: module; Object: class name; Storage: key
    std::string s2; // Global: name
    std::vector<PPtr> items;
    std::vector<std::pair<PPtr, PPtr>> dict;
    // Storage and Tensor
    DType dtype = DType::F32;
    std::uint64_t numel = 0;
    std::int64_t offset = 0; // Storage: view offset (legacy views); Tensor: storage offset
    std::vector<std::int64_t> shape, stride;
};

bool isGlobal(const PPtr &v, const char *module, const char *name)
{
    return v->kind == PValue::Kind::Global && v->s == module && v->s2 == name;
}

DType dtypeFromStorageName(const std::string &name)
{
    static const std::pair<const char *, DType> table[] = {
        {"DoubleStorage", DType::F64}, {"FloatStorage", DType::F32},  {"HalfStorage", DType::F16},
        {"BFloat16Storage", DType::BF16}, {"LongStorage", DType::I64}, {"IntStorage", DType::I32},
        {"ShortStorage", DType::I16},  {"CharStorage", DType::I8},    {"ByteStorage", DType::U8},
        {"BoolStorage", DType::Bool},
    };
    for (const auto &e : table)
        if (name == e.first)
            return e.second;
    return DType::Unknown;
}

// ---- the machine -------------------------------------------------------------------------------

class Machine {
public:
    Machine(const char *data, std::size_t size, std::size_t start) : m_data(data), m_size(size), m_pos(start) {}
    // A hostile pickle can make values that contain themselves (DUP or a memo entry appended to its
    // own list), which shared pointers never free, and lists nested a million deep, whose recursive
    // destruction overflows the stack. Every value is owned here until the machine dies; emptying
    // each one first frees them all one by one, whatever their shape.
    ~Machine()
    {
        for (const PPtr &v : m_made) {
            v->items.clear();
            v->dict.clear();
        }
    }
    Machine(const Machine &) = delete;
    Machine &operator=(const Machine &) = delete;

    // Runs one pickle up to its STOP; the result or an error sentence (without the file name).
    Result<PPtr> run();
    std::size_t position() const { return m_pos; }
    const std::map<std::string, PPtr> &storages() const { return m_storages; }

private:
    struct Failure {
        std::string message;
    };
    [[noreturn]] void fail(const std::string &what) const
    {
        throw Failure{what + " (at byte " + std::to_string(m_opStart) + ")"};
    }
    void need(std::size_t n) const
    {
        if (n > m_size - m_pos)
            throw Failure{"the pickle ends early at byte " + std::to_string(m_size) + " while reading the value that starts at byte "
                          + std::to_string(m_opStart)};
    }
    std::uint8_t u8()
    {
        need(1);
        return std::uint8_t(m_data[m_pos++]);
    }
    std::uint64_t uint(int bytes)
    {
        need(std::size_t(bytes));
        std::uint64_t v = 0;
        for (int b = 0; b < bytes; ++b)
            v |= std::uint64_t(std::uint8_t(m_data[m_pos + std::size_t(b)])) << (8 * b);
        m_pos += std::size_t(bytes);
        return v;
    }
    std::string bytes(std::uint64_t n)
    {
        if (n > m_size - m_pos)
            throw Failure{"the pickle ends early at byte " + std::to_string(m_size) + " while reading the value that starts at byte "
                          + std::to_string(m_opStart)};
        std::string s(m_data + m_pos, std::size_t(n));
        m_pos += std::size_t(n);
        return s;
    }
    std::string line()
    {
        const std::size_t start = m_pos;
        while (m_pos < m_size && m_data[m_pos] != '\n')
            ++m_pos;
        need(1);
        std::string s(m_data + start, m_pos - start);
        ++m_pos;
        return s;
    }
    PPtr pop()
    {
        if (m_stack.size() <= floor())
            fail("the pickle pops from an empty stack");
        PPtr v = std::move(m_stack.back());
        m_stack.pop_back();
        return v;
    }
    PPtr &top()
    {
        if (m_stack.size() <= floor())
            fail("the pickle reads from an empty stack");
        return m_stack.back();
    }
    std::size_t floor() const { return m_marks.empty() ? 0 : m_marks.back(); }
    std::vector<PPtr> popMark()
    {
        if (m_marks.empty())
            fail("the pickle closes a mark it never opened");
        const std::size_t at = m_marks.back();
        m_marks.pop_back();
        std::vector<PPtr> items(std::make_move_iterator(m_stack.begin() + long(at)), std::make_move_iterator(m_stack.end()));
        m_stack.resize(at);
        return items;
    }
    void memoPut(std::uint64_t key) { m_memo[key] = top(); }
    PPtr memoGet(std::uint64_t key)
    {
        auto it = m_memo.find(key);
        if (it == m_memo.end())
            fail("the pickle refers to memo entry " + std::to_string(key) + " that was never stored");
        return it->second;
    }
    PPtr longValue(const std::string &raw)
    {
        if (raw.size() > 8) {
            auto v = make(PValue::Kind::BigInt);
            v->s = raw;
            return v;
        }
        std::uint64_t u = 0;
        for (std::size_t b = 0; b < raw.size(); ++b)
            u |= std::uint64_t(std::uint8_t(raw[b])) << (8 * b);
        if (!raw.empty() && raw.size() < 8 && (std::uint8_t(raw.back()) & 0x80))
            u |= ~std::uint64_t(0) << (8 * raw.size()); // sign-extend
        return makeInt(std::int64_t(u));
    }
    PPtr make(PValue::Kind k)
    {
        m_made.push_back(std::make_shared<PValue>());
        m_made.back()->kind = k;
        return m_made.back();
    }
    PPtr makeInt(std::int64_t i)
    {
        auto v = make(PValue::Kind::Int);
        v->i = i;
        return v;
    }
    PPtr makeStr(std::string s, PValue::Kind k = PValue::Kind::Str)
    {
        auto v = make(k);
        v->s = std::move(s);
        return v;
    }
    PPtr call(const PPtr &callable, const PPtr &args);
    PPtr persistent(const PPtr &pid);
    void setItems(const PPtr &dict, std::vector<PPtr> kv);

    const char *m_data;
    std::size_t m_size;
    std::size_t m_pos;
    std::size_t m_opStart = 0;
    std::vector<PPtr> m_stack;
    std::vector<std::size_t> m_marks;
    std::map<std::uint64_t, PPtr> m_memo;
    std::map<std::string, PPtr> m_storages;
    std::vector<PPtr> m_made; // every value this machine made (see ~Machine)
};

std::vector<std::int64_t> intTuple(const PPtr &v, bool *ok)
{
    std::vector<std::int64_t> out;
    if (v->kind != PValue::Kind::Tuple && v->kind != PValue::Kind::List) {
        *ok = false;
        return out;
    }
    for (const auto &e : v->items) {
        if (e->kind != PValue::Kind::Int) {
            *ok = false;
            return out;
        }
        out.push_back(e->i);
    }
    return out;
}

PPtr Machine::call(const PPtr &callable, const PPtr &args)
{
    using K = PValue::Kind;
    const bool tupleArgs = args->kind == K::Tuple;
    const auto arg = [&](std::size_t i) -> PPtr { return tupleArgs && i < args->items.size() ? args->items[i] : make(K::None); };

    if (isGlobal(callable, "collections", "OrderedDict") || isGlobal(callable, "builtins", "dict")
        || isGlobal(callable, "__builtin__", "dict")) {
        auto d = make(K::Dict);
        // OrderedDict([(k, v), ...]) is legal even though torch.save never writes it.
        if (tupleArgs && !args->items.empty() && args->items[0]->kind == K::List)
            for (const auto &pair : args->items[0]->items)
                if (pair->kind == K::Tuple && pair->items.size() == 2)
                    d->dict.emplace_back(pair->items[0], pair->items[1]);
        return d;
    }
    if (isGlobal(callable, "torch._utils", "_rebuild_tensor_v2") || isGlobal(callable, "torch._utils", "_rebuild_tensor")) {
        const PPtr storage = arg(0);
        bool ok = storage->kind == K::Storage && arg(1)->kind == K::Int;
        auto t = make(K::Tensor);
        t->shape = intTuple(arg(2), &ok);
        t->stride = intTuple(arg(3), &ok);
        if (!ok || t->shape.size() != t->stride.size())
            fail("a tensor in the pickle has a malformed storage, size or stride");
        if (storage->dtype == DType::Unknown) {
            auto obj = make(K::Object);
            obj->s = "a tensor of " + storage->s2;
            return obj;
        }
        t->s = storage->s;
        t->dtype = storage->dtype;
        // A legacy view offset plus the tensor's own offset: both come from the file, and a signed
        // overflow here would be undefined behaviour.
        if (__builtin_add_overflow(storage->offset, arg(1)->i, &t->offset))
            fail("a tensor in the pickle has a storage offset beyond 64 bits");
        return t;
    }
    if (isGlobal(callable, "torch._utils", "_rebuild_parameter") || isGlobal(callable, "torch._utils", "_rebuild_parameter_with_state")
        || isGlobal(callable, "torch.jit._pickle", "restore_type_tag") || isGlobal(callable, "torch.jit._pickle", "build_intlist")
        || isGlobal(callable, "torch.jit._pickle", "build_doublelist") || isGlobal(callable, "torch.jit._pickle", "build_boollist")
        || isGlobal(callable, "torch.jit._pickle", "build_tensorlist"))
        return arg(0);
    if (isGlobal(callable, "torch._tensor", "_rebuild_from_type_v2") || isGlobal(callable, "torch._tensor", "_rebuild_from_type")) {
        // (func, type, args, state): a tensor subclass; the plain tensor is what func builds.
        if (arg(0)->kind == K::Global && !isGlobal(arg(0), "torch._tensor", "_rebuild_from_type_v2")
            && !isGlobal(arg(0), "torch._tensor", "_rebuild_from_type"))
            return call(arg(0), arg(2));
    }
    auto obj = make(K::Object);
    obj->s = callable->kind == K::Global ? callable->s + "." + callable->s2 : std::string("an unnamed callable");
    return obj;
}

PPtr Machine::persistent(const PPtr &pid)
{
    using K = PValue::Kind;
    if (pid->kind != K::Tuple || pid->items.size() < 5 || pid->items[0]->kind != K::Str || pid->items[0]->s != "storage")
        fail("the pickle holds a persistent reference that is not a tensor storage");
    const PPtr &type = pid->items[1];
    const PPtr &key = pid->items[2];
    const PPtr &numel = pid->items[4];
    if (type->kind != K::Global || key->kind != K::Str || numel->kind != K::Int || numel->i < 0)
        fail("the pickle holds a malformed tensor storage reference");
    auto st = make(K::Storage);
    // Storages of other types (complex, quantized) are kept as Unknown: their tensors are skipped.
    st->dtype = type->s == "torch" ? dtypeFromStorageName(type->s2) : DType::Unknown;
    st->s2 = type->s + "." + type->s2;
    st->s = key->s;
    st->numel = std::uint64_t(numel->i);
    // Legacy files describe views of a storage as (view_key, offset, size).
    if (pid->items.size() > 5 && pid->items[5]->kind == K::Tuple && pid->items[5]->items.size() == 3
        && pid->items[5]->items[1]->kind == K::Int)
        st->offset = pid->items[5]->items[1]->i;
    auto it = m_storages.find(st->s);
    if (it == m_storages.end())
        m_storages.emplace(st->s, st);
    else if (it->second->dtype != st->dtype)
        fail("the pickle uses storage " + st->s + " with two different element types");
    return st;
}

void Machine::setItems(const PPtr &dict, std::vector<PPtr> kv)
{
    if (kv.size() % 2)
        fail("the pickle sets a dict item without a value");
    if (dict->kind != PValue::Kind::Dict)
        return; // items of an opaque object: not ours to keep
    // A pickled dict never repeats a key; duplicates after flattening are reported by name.
    for (std::size_t k = 0; k + 1 < kv.size(); k += 2)
        dict->dict.emplace_back(kv[k], kv[k + 1]);
}

Result<PPtr> Machine::run()
{
    using K = PValue::Kind;
    try {
        for (;;) {
            m_opStart = m_pos;
            const std::uint8_t op = u8();
            switch (op) {
            case 0x80: // PROTO
                if (u8() > 5)
                    fail("the pickle uses a protocol newer than 5");
                break;
            case 0x95: // FRAME
                uint(8);
                break;
            case '.': { // STOP
                if (m_stack.size() != 1 || !m_marks.empty())
                    fail("the pickle stops with " + std::to_string(m_stack.size()) + " values on its stack instead of one");
                return m_stack.back();
            }
            case '(': m_marks.push_back(m_stack.size()); break;
            case '0': pop(); break;
            case '1': popMark(); break;
            case '2': m_stack.push_back(top()); break;
            case 'N': m_stack.push_back(make(K::None)); break;
            case 0x88:
            case 0x89: {
                auto b = make(K::Bool);
                b->i = op == 0x88;
                m_stack.push_back(b);
                break;
            }
            case 'J': m_stack.push_back(makeInt(std::int32_t(std::uint32_t(uint(4))))); break;
            case 'K': m_stack.push_back(makeInt(std::int64_t(uint(1)))); break;
            case 'M': m_stack.push_back(makeInt(std::int64_t(uint(2)))); break;
            case 0x8a: m_stack.push_back(longValue(bytes(uint(1)))); break;
            case 0x8b: m_stack.push_back(longValue(bytes(uint(4)))); break;
            case 'I': {
                const std::string text = line();
                if (text == "00" || text == "01") {
                    auto b = make(K::Bool);
                    b->i = text == "01";
                    m_stack.push_back(b);
                } else {
                    try {
                        m_stack.push_back(makeInt(std::stoll(text)));
                    } catch (const std::exception &) {
                        fail("the pickle holds a malformed integer");
                    }
                }
                break;
            }
            case 'L': {
                std::string text = line();
                if (!text.empty() && text.back() == 'L')
                    text.pop_back();
                try {
                    m_stack.push_back(makeInt(std::stoll(text)));
                } catch (const std::exception &) {
                    m_stack.push_back(makeStr(text, K::BigInt));
                }
                break;
            }
            case 'G': {
                const std::uint64_t raw = uint(8);
                std::uint64_t swapped = 0;
                for (int b = 0; b < 8; ++b)
                    swapped |= ((raw >> (8 * b)) & 0xff) << (8 * (7 - b)); // big-endian on the wire
                auto f = make(K::Float);
                std::memcpy(&f->f, &swapped, 8);
                m_stack.push_back(f);
                break;
            }
            case 'X': m_stack.push_back(makeStr(bytes(uint(4)))); break;
            case 0x8c: m_stack.push_back(makeStr(bytes(uint(1)))); break;
            case 0x8d: m_stack.push_back(makeStr(bytes(uint(8)))); break;
            case 'T': m_stack.push_back(makeStr(bytes(uint(4)), K::Bytes)); break;
            case 'U': m_stack.push_back(makeStr(bytes(uint(1)), K::Bytes)); break;
            case 'B': m_stack.push_back(makeStr(bytes(uint(4)), K::Bytes)); break;
            case 'C': m_stack.push_back(makeStr(bytes(uint(1)), K::Bytes)); break;
            case 0x8e: m_stack.push_back(makeStr(bytes(uint(8)), K::Bytes)); break;
            case 'V': m_stack.push_back(makeStr(line())); break;
            case '}': m_stack.push_back(make(K::Dict)); break;
            case ']': m_stack.push_back(make(K::List)); break;
            case ')': m_stack.push_back(make(K::Tuple)); break;
            case 0x8f: m_stack.push_back(make(K::Set)); break;
            case 'd': {
                auto d = make(K::Dict);
                setItems(d, popMark());
                m_stack.push_back(d);
                break;
            }
            case 'l':
            case 't':
            case 0x91: {
                auto v = make(op == 'l' ? K::List : op == 't' ? K::Tuple : K::Set);
                v->items = popMark();
                m_stack.push_back(v);
                break;
            }
            case 0x85:
            case 0x86:
            case 0x87: {
                auto v = make(K::Tuple);
                v->items.resize(std::size_t(op - 0x84));
                for (auto it = v->items.rbegin(); it != v->items.rend(); ++it)
                    *it = pop();
                m_stack.push_back(v);
                break;
            }
            case 'a': {
                PPtr v = pop();
                PPtr &list = top();
                if (list->kind != K::List)
                    fail("the pickle appends to something that is not a list");
                list->items.push_back(v);
                break;
            }
            case 'e':
            case 0x90: {
                std::vector<PPtr> items = popMark();
                PPtr &list = top();
                if (list->kind != (op == 'e' ? K::List : K::Set))
                    fail("the pickle appends to something that is not a list or set");
                for (auto &v : items)
                    list->items.push_back(std::move(v));
                break;
            }
            case 's': {
                PPtr v = pop();
                PPtr k = pop();
                setItems(top(), {k, v});
                break;
            }
            case 'u': {
                std::vector<PPtr> kv = popMark();
                setItems(top(), std::move(kv));
                break;
            }
            case 'c': {
                auto g = make(K::Global);
                g->s = line();
                g->s2 = line();
                m_stack.push_back(g);
                break;
            }
            case 0x93: {
                PPtr name = pop();
                PPtr module = pop();
                if (name->kind != K::Str || module->kind != K::Str)
                    fail("the pickle names a class with something other than strings");
                auto g = make(K::Global);
                g->s = module->s;
                g->s2 = name->s;
                m_stack.push_back(g);
                break;
            }
            case 'R': {
                PPtr args = pop();
                PPtr callable = pop();
                m_stack.push_back(call(callable, args));
                break;
            }
            case 0x81: {
                PPtr args = pop();
                PPtr cls = pop();
                m_stack.push_back(call(cls, make(K::Tuple)));
                break;
            }
            case 0x92: {
                pop(); // kwargs
                pop(); // args
                PPtr cls = pop();
                m_stack.push_back(call(cls, make(K::Tuple)));
                break;
            }
            case 'b': // BUILD: the state of an object (e.g. a state dict's _metadata) is not needed
                pop();
                top();
                break;
            case 'Q': {
                PPtr pid = pop();
                m_stack.push_back(persistent(pid));
                break;
            }
            case 'P': fail("the pickle uses text persistent ids, which torch.save never writes");
            case 'q': memoPut(uint(1)); break;
            case 'r': memoPut(uint(4)); break;
            case 'p': {
                try {
                    memoPut(std::stoull(line()));
                } catch (const std::exception &) {
                    fail("the pickle holds a malformed memo key");
                }
                break;
            }
            case 0x94: memoPut(m_memo.size()); break;
            case 'h': m_stack.push_back(memoGet(uint(1))); break;
            case 'j': m_stack.push_back(memoGet(uint(4))); break;
            case 'g': {
                std::uint64_t key = 0;
                try {
                    key = std::stoull(line());
                } catch (const std::exception &) {
                    fail("the pickle holds a malformed memo key");
                }
                m_stack.push_back(memoGet(key));
                break;
            }
            default: {
                char hex[8];
                std::snprintf(hex, sizeof hex, "0x%02x", unsigned(op));
                fail(std::string("the pickle holds opcode ") + hex + ", which is not part of the pickle protocol torch.save uses");
            }
            }
        }
    } catch (const Failure &f) {
        return Result<PPtr>::failure(f.message);
    }
}

// ---- flattening --------------------------------------------------------------------------------

std::string keyText(const PPtr &k)
{
    switch (k->kind) {
    case PValue::Kind::Str:
        return k->s;
    case PValue::Kind::Int:
        return std::to_string(k->i);
    default:
        return {};
    }
}

void flatten(const PPtr &dict, const std::string &prefix, std::vector<PickledTensor> &out, std::set<const PValue *> &seen, int depth)
{
    if (depth > 64 || !seen.insert(dict.get()).second)
        return; // a dict that contains itself
    for (const auto &[k, v] : dict->dict) {
        const std::string key = keyText(k);
        if (key.empty() && k->kind != PValue::Kind::Str)
            continue;
        const std::string name = prefix.empty() ? key : prefix + "." + key;
        if (v->kind == PValue::Kind::Tensor) {
            PickledTensor t;
            t.name = name;
            t.storageKey = v->s;
            t.dtype = v->dtype;
            t.storageOffset = v->offset;
            t.shape = v->shape;
            t.stride = v->stride;
            out.push_back(std::move(t));
        } else if (v->kind == PValue::Kind::Dict) {
            flatten(v, name, out, seen, depth + 1);
        }
    }
    seen.erase(dict.get());
}

const char *kindName(const PPtr &v)
{
    switch (v->kind) {
    case PValue::Kind::List: return "a list";
    case PValue::Kind::Tuple: return "a tuple";
    case PValue::Kind::Tensor: return "a single tensor";
    case PValue::Kind::Int:
    case PValue::Kind::BigInt: return "a number";
    case PValue::Kind::Float: return "a number";
    case PValue::Kind::Str: return "a string";
    case PValue::Kind::None: return "None";
    default: return "a Python object";
    }
}

Result<PickledStateDict> toStateDict(const PPtr &root, const std::map<std::string, PPtr> &storages)
{
    if (root->kind == PValue::Kind::Object)
        return Result<PickledStateDict>::failure("it holds a pickled Python object (" + root->s
                                                 + ") rather than a state dict; save model.state_dict() instead");
    if (root->kind != PValue::Kind::Dict)
        return Result<PickledStateDict>::failure(std::string("it holds ") + kindName(root) + ", not a dict of tensors");
    PickledStateDict sd;
    std::set<const PValue *> seen;
    flatten(root, {}, sd.tensors, seen, 0);
    if (sd.tensors.empty())
        return Result<PickledStateDict>::failure("it holds a dict without any tensors");
    std::set<std::string> names;
    for (const auto &t : sd.tensors)
        if (!names.insert(t.name).second)
            return Result<PickledStateDict>::failure("it holds two tensors named \"" + t.name + "\"");
    for (const auto &[key, st] : storages) {
        PickledStorage ps;
        ps.dtype = st->dtype;
        ps.numel = st->numel;
        sd.storages.emplace(key, ps);
    }
    return sd;
}

void putUint(std::vector<char> &out, std::uint64_t v, int bytes)
{
    for (int b = 0; b < bytes; ++b)
        out.push_back(char((v >> (8 * b)) & 0xff));
}

void putStr(std::vector<char> &out, const std::string &s)
{
    out.push_back('X');
    putUint(out, s.size(), 4);
    out.insert(out.end(), s.begin(), s.end());
}

void putInt(std::vector<char> &out, std::int64_t v)
{
    if (v >= 0 && v < 256) {
        out.push_back('K');
        putUint(out, std::uint64_t(v), 1);
    } else if (v >= INT32_MIN && v <= INT32_MAX) {
        out.push_back('J');
        putUint(out, std::uint32_t(std::int32_t(v)), 4);
    } else {
        out.push_back(char(0x8a));
        out.push_back(8);
        putUint(out, std::uint64_t(v), 8);
    }
}

void putGlobal(std::vector<char> &out, const std::string &module, const std::string &name)
{
    out.push_back('c');
    out.insert(out.end(), module.begin(), module.end());
    out.push_back('\n');
    out.insert(out.end(), name.begin(), name.end());
    out.push_back('\n');
}

const char kLegacyMagic[] = "\x80\x02\x8a\x0a\x6c\xfc\x9c\x46\xf9\x20\x6a\xa8\x50\x19\x2e";

} // namespace

const char *TorchPickle::storageTypeName(DType dtype)
{
    switch (dtype) {
    case DType::F64: return "DoubleStorage";
    case DType::F32: return "FloatStorage";
    case DType::F16: return "HalfStorage";
    case DType::BF16: return "BFloat16Storage";
    case DType::I64: return "LongStorage";
    case DType::I32: return "IntStorage";
    case DType::I16: return "ShortStorage";
    case DType::I8: return "CharStorage";
    case DType::U8: return "ByteStorage";
    case DType::Bool: return "BoolStorage";
    default: return nullptr;
    }
}

Result<PickledStateDict> TorchPickle::parseZipPickle(const char *data, std::size_t size)
{
    Machine m(data, size, 0);
    auto root = m.run();
    if (!root)
        return Result<PickledStateDict>::failure(root.error());
    return toStateDict(*root, m.storages());
}

bool TorchPickle::looksLikeLegacy(const char *data, std::size_t size)
{
    const std::size_t n = sizeof kLegacyMagic - 1;
    return size >= n && std::memcmp(data, kLegacyMagic, n) == 0;
}

Result<PickledStateDict> TorchPickle::parseLegacyFile(const char *data, std::size_t size)
{
    using R = Result<PickledStateDict>;
    if (!looksLikeLegacy(data, size))
        return R::failure("it does not start with the magic number of a legacy torch.save file");
    std::size_t pos = sizeof kLegacyMagic - 1;
    // protocol version, then system info (byte order and type sizes)
    for (int i = 0; i < 2; ++i) {
        Machine m(data, size, pos);
        auto v = m.run();
        if (!v)
            return R::failure(v.error());
        if (i == 1 && (*v)->kind == PValue::Kind::Dict)
            for (const auto &[k, val] : (*v)->dict)
                if (keyText(k) == "little_endian" && val->kind == PValue::Kind::Bool && !val->i)
                    return R::failure("it was written on a big-endian machine, which this program does not read");
        pos = m.position();
    }
    Machine main(data, size, pos);
    auto root = main.run();
    if (!root)
        return R::failure(root.error());
    auto sd = toStateDict(*root, main.storages());
    if (!sd)
        return sd;
    pos = main.position();
    Machine keysMachine(data, size, pos);
    auto keys = keysMachine.run();
    if (!keys)
        return R::failure(keys.error());
    if ((*keys)->kind != PValue::Kind::List)
        return R::failure("its storage key list is missing");
    pos = keysMachine.position();
    for (const auto &k : (*keys)->items) {
        if (k->kind != PValue::Kind::Str)
            return R::failure("its storage key list holds something other than strings");
        auto it = sd->storages.find(k->s);
        if (it == sd->storages.end())
            return R::failure("its storage list names storage " + k->s + " that no tensor uses");
        if (it->second.dtype == DType::Unknown)
            return R::failure("it holds storage " + k->s + " of type " + main.storages().at(k->s)->s2
                              + ", whose size this program does not know");
        if (size - pos < 8)
            return R::failure("it ends early at byte " + std::to_string(size) + " before storage " + k->s);
        std::uint64_t numel = 0;
        std::memcpy(&numel, data + pos, 8);
        pos += 8;
        const std::uint64_t bytes = numel * dtypeSize(it->second.dtype);
        if (numel > size || bytes > size - pos)
            return R::failure("it ends early: storage " + k->s + " needs " + std::to_string(bytes) + " bytes at byte "
                              + std::to_string(pos) + " but the file has " + std::to_string(size) + " bytes");
        it->second.numel = numel;
        it->second.fileOffset = pos;
        pos += std::size_t(bytes);
    }
    for (const auto &[key, st] : sd->storages)
        if (st.fileOffset == 0 && st.numel > 0)
            return R::failure("the data of storage " + key + " is missing");
    return sd;
}

Result<std::vector<char>> TorchPickle::writeStateDictPickle(const std::vector<Entry> &entries)
{
    std::vector<char> out;
    out.push_back(char(0x80));
    out.push_back(2);
    out.push_back('}');
    out.push_back('(');
    for (std::size_t i = 0; i < entries.size(); ++i) {
        const Entry &e = entries[i];
        const char *storage = storageTypeName(e.dtype);
        if (!storage)
            return Result<std::vector<char>>::failure("tensor \"" + e.name + "\" has element type " + dtypeName(e.dtype)
                                                      + ", which a PyTorch state dict cannot hold");
        putStr(out, e.name);
        putGlobal(out, "torch._utils", "_rebuild_tensor_v2");
        out.push_back('(');
        // the storage: persistent id ('storage', type, key, location, numel)
        out.push_back('(');
        putStr(out, "storage");
        putGlobal(out, "torch", storage);
        putStr(out, std::to_string(i));
        putStr(out, "cpu");
        putInt(out, std::int64_t(shapeNumel(e.shape)));
        out.push_back('t');
        out.push_back('Q');
        putInt(out, 0); // storage offset
        out.push_back('(');
        for (auto d : e.shape)
            putInt(out, d);
        out.push_back('t');
        out.push_back('(');
        std::int64_t stride = 1;
        std::vector<std::int64_t> strides(e.shape.size());
        for (std::size_t d = e.shape.size(); d-- > 0;) {
            strides[d] = stride;
            stride *= e.shape[d];
        }
        for (auto s : strides)
            putInt(out, s);
        out.push_back('t');
        out.push_back(char(0x89)); // requires_grad = False
        putGlobal(out, "collections", "OrderedDict"); // backward hooks
        out.push_back(')');
        out.push_back('R');
        out.push_back('t');
        out.push_back('R');
    }
    out.push_back('u');
    out.push_back('.');
    return out;
}

} // namespace hc
