/* Synthetic people: names, ID numbers, colleges, majors, classes and
 * certificate numbers that look like a registrar's export but belong to
 * nobody. The mix is chosen to exercise the engine: rare characters outside
 * the BMP, a long minority name with a middle dot, check digits X and x. */
#include "synth.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void synth_rng_init(synth_rng *rng, uint64_t seed, uint64_t stream)
{
    rng->state = seed ^ (stream * 0xD1B54A32D192ED03u);
    /* Two rounds so neighbouring streams do not start correlated. */
    (void)synth_rng_next(rng);
    (void)synth_rng_next(rng);
}

uint64_t synth_rng_next(synth_rng *rng)
{
    uint64_t z = (rng->state += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

uint32_t synth_rng_below(synth_rng *rng, uint32_t n)
{
    /* The bias of a plain modulo is below 2^-32 here: irrelevant for test data. */
    return (uint32_t)(synth_rng_next(rng) % n);
}

int synth_rng_range(synth_rng *rng, int lo, int hi)
{
    return lo + (int)synth_rng_below(rng, (uint32_t)(hi - lo + 1));
}

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

typedef struct major_def {
    const char *name;
    const char *degree_field;
    int classes;
} major_def;

typedef struct college_def {
    const char *name;
    major_def majors[3];
} college_def;

static const college_def colleges[] = {
    {"文学与传媒学院", {{"汉语言文学", "文学", 3}, {"新闻学", "文学", 1}, {"广告学", "文学", 2}}},
    {"数学与人工智能学院",
     {{"数学与应用数学", "理学", 2}, {"数据科学与大数据技术", "工学", 2}, {"人工智能", "工学", 1}}},
    {"电子信息与电气工程学院",
     {{"电子信息工程", "工学", 2}, {"电气工程及其自动化", "工学", 2}, {"通信工程", "工学", 1}}},
    {"化学与环境工程学院", {{"应用化学", "理学", 1}, {"环境工程", "工学", 2}, {NULL, NULL, 0}}},
};

typedef struct class_slot {
    int college, major, klass; /* 0-based */
} class_slot;

/* Chongqing districts (5001xx) and counties (5002xx). */
static const char *const regions[] = {
    "500101", "500102", "500103", "500104", "500105", "500106", "500107", "500108", "500109",
    "500110", "500111", "500112", "500113", "500114", "500115", "500116", "500117", "500118",
    "500119", "500120", "500151", "500152", "500153", "500154", "500155", "500156", "500229",
    "500230", "500231", "500233", "500235", "500236", "500237", "500238", "500240", "500241",
    "500242", "500243",
};

static const char *const surnames[] = {
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "林", "罗", "高", "郑", "梁", "谢", "宋", "唐", "许", "韩", "邓", "冯", "曹", "彭", "曾",
    "肖", "田", "董", "袁", "潘", "蒋", "蔡", "余", "杜", "叶", "程", "魏", "苏", "吕", "丁", "任",
    "沈", "姚", "卢", "钟", "姜", "崔", "谭", "廖", "范", "汪", "陆", "金", "石", "贾", "夏", "邱",
    "方", "侯", "邹", "熊", "孟", "秦", "白", "江", "薛", "尹", "段", "雷", "黎", "龙", "陶", "贺",
};

static const char *const compound_surnames[] = {"欧阳", "司马", "上官", "诸葛", "令狐"};

static const char *const male_chars[] = {
    "伟", "强", "磊", "军", "勇", "杰", "涛", "斌", "超", "明", "刚", "平", "辉", "鹏", "华", "飞",
    "鑫", "波", "宇", "浩", "凯", "健", "俊", "帆", "旭", "宁", "龙", "林", "阳", "晨", "博", "文",
    "彬", "坤", "毅", "哲", "峰", "航", "睿", "轩", "子", "嘉", "志", "建", "国", "成",
};

static const char *const female_chars[] = {
    "芳", "娜", "敏", "静", "丽", "艳", "娟", "霞", "婷", "雪", "慧", "莹", "倩", "琳", "洁", "颖",
    "欣", "悦", "佳", "萍", "玲", "蕾", "梦", "瑶", "怡", "雯", "晶", "月", "璐", "媛", "丹", "薇",
    "思", "雨", "诗", "紫", "可", "心", "婉", "秋",
};

/* Rare given-name characters: Ext-A (䶮), CJK compatibility-era forms, and
 * two from the supplementary plane (𠮷 U+20BB7, 𡒄 U+21484). */
static const struct {
    const char *ch;
    bool male;
} rare_chars[] = {
    {"䶮", true}, {"龑", true}, {"堃", true}, {"喆", true}, {"犇", true},
    {"淼", false}, {"玥", false}, {"𠮷", false}, {"𡒄", true}, {"赟", true},
};

#define MINORITY_NAME "阿卜杜热依木·艾合买提江"
#define MINORITY_INDEX 8

static void append(char *dst, size_t cap, const char *src)
{
    size_t len = strlen(dst);
    snprintf(dst + len, cap - len, "%s", src);
}

static const char *pick(synth_rng *rng, const char *const *list, size_t n)
{
    return list[synth_rng_below(rng, (uint32_t)n)];
}

static void make_name(synth_rng *rng, size_t index, synth_student *st)
{
    const char *const *given = st->male ? male_chars : female_chars;
    size_t ngiven = st->male ? COUNT(male_chars) : COUNT(female_chars);
    st->name[0] = '\0';

    if (index == MINORITY_INDEX) {
        append(st->name, sizeof st->name, MINORITY_NAME);
        return;
    }
    bool compound = synth_rng_below(rng, 20) == 0;
    append(st->name, sizeof st->name,
           compound ? pick(rng, compound_surnames, COUNT(compound_surnames)) : pick(rng, surnames, COUNT(surnames)));

    /* Every third student among the first thirty carries one rare character,
     * so even the 36-student sample shows all ten. */
    if (index % 3 == 1 && index / 3 < COUNT(rare_chars)) {
        size_t r = index / 3;
        if (synth_rng_below(rng, 2) == 0)
            append(st->name, sizeof st->name, pick(rng, given, ngiven));
        append(st->name, sizeof st->name, rare_chars[r].ch);
        return;
    }
    append(st->name, sizeof st->name, pick(rng, given, ngiven));
    if (synth_rng_below(rng, 100) < 55)
        append(st->name, sizeof st->name, pick(rng, given, ngiven));
}

char synth_id_check_char(const char *first17)
{
    static const int weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    static const char checks[] = "10X98765432";
    int sum = 0;
    for (int i = 0; i < 17; i++)
        sum += (first17[i] - '0') * weights[i];
    return checks[sum % 11];
}

static void day_to_date(int day, int *year, int *month, int *mday)
{
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y = 2000;
    for (;;) {
        int ylen = (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) ? 366 : 365;
        if (day < ylen)
            break;
        day -= ylen;
        y++;
    }
    int m = 0;
    for (;;) {
        int mlen = mdays[m] + (m == 1 && (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) ? 1 : 0);
        if (day < mlen)
            break;
        day -= mlen;
        m++;
    }
    *year = y;
    *month = m + 1;
    *mday = day + 1;
}

/* The 17-digit bodies already handed out, as numbers, in an open-addressing
 * table: ID numbers must be unique across the roster. */
typedef struct id_set {
    uint64_t *slots; /* 0 = empty; bodies never start with 0 */
    size_t mask;
} id_set;

static bool id_set_insert(id_set *set, uint64_t body)
{
    size_t i = (size_t)((body * 0x9E3779B97F4A7C15u) >> 20) & set->mask;
    while (set->slots[i] != 0) {
        if (set->slots[i] == body)
            return false;
        i = (i + 1) & set->mask;
    }
    set->slots[i] = body;
    return true;
}

static void make_id(synth_rng *rng, size_t index, id_set *ids, synth_student *st)
{
    /* Every ninth student is forced to a check character X, and every third of
     * those writes it in lowercase, as some registrars' exports do. */
    bool want_x = index % 9 == 4;
    bool lowercase_x = index % 27 == 4;
    const char *region = pick(rng, regions, COUNT(regions));
    int year, month, mday;
    day_to_date((int)synth_rng_below(rng, 1827), &year, &month, &mday);

    char body[18];
    for (;;) {
        /* The 17th digit is odd for men and even for women. */
        int order = synth_rng_range(rng, 0, 49) * 2 + (st->male ? 1 : 0);
        int area_seq = synth_rng_range(rng, 0, 9);
        snprintf(body, sizeof body, "%.6s%04u%02u%02u%u%02u", region, (unsigned)year % 10000u, (unsigned)month % 100u,
                 (unsigned)mday % 100u, (unsigned)area_seq % 10u, (unsigned)order % 100u);
        char check = synth_id_check_char(body);
        if (want_x && check != 'X')
            continue;
        if (!id_set_insert(ids, strtoull(body, NULL, 10)))
            continue;
        snprintf(st->photo_id, sizeof st->photo_id, "%.17s%c", body, check);
        snprintf(st->id_number, sizeof st->id_number, "%.17s%c", body, (lowercase_x && check == 'X') ? 'x' : check);
        break;
    }
    snprintf(st->birth_date, sizeof st->birth_date, "%04u-%02u-%02u", (unsigned)year % 10000u, (unsigned)month % 100u,
             (unsigned)mday % 100u);
}

bool synth_people_make(uint64_t seed, synth_student *students, size_t count)
{
    class_slot slots[64];
    size_t nslots = 0;
    for (size_t c = 0; c < COUNT(colleges); c++)
        for (size_t m = 0; m < COUNT(colleges[c].majors) && colleges[c].majors[m].name; m++)
            for (int k = 0; k < colleges[c].majors[m].classes; k++)
                slots[nslots++] = (class_slot){(int)c, (int)m, k};

    size_t cap = 64;
    while (cap < count * 2)
        cap *= 2;
    id_set ids = {calloc(cap, sizeof(uint64_t)), cap - 1};
    if (!ids.slots)
        return false;

    for (size_t i = 0; i < count; i++) {
        synth_student *st = &students[i];
        synth_rng rng;
        synth_rng_init(&rng, seed, i + 1);
        memset(st, 0, sizeof *st);
        st->seq = (int)i + 1;

        /* Round-robin over the classes keeps them the same size whatever N is. */
        const class_slot *slot = &slots[i % nslots];
        const college_def *college = &colleges[slot->college];
        const major_def *major = &college->majors[slot->major];
        size_t in_class = i / nslots + 1;
        st->college = college->name;
        st->major = major->name;
        st->degree_field = major->degree_field;
        st->college_rank = slot->college;
        st->major_rank = slot->major;
        st->class_rank = slot->klass;
        snprintf(st->class_name, sizeof st->class_name, "2021级%s%d班", major->name, slot->klass + 1);
        snprintf(st->student_no, sizeof st->student_no, "2021%02u%u%u%02u", (unsigned)(slot->college + 1) % 100u,
                 (unsigned)(slot->major + 1) % 10u, (unsigned)(slot->klass + 1) % 10u,
                 (unsigned)(in_class % 1000000u));

        if (i == MINORITY_INDEX)
            st->male = true;
        else if (i % 3 == 1 && i / 3 < COUNT(rare_chars))
            st->male = rare_chars[i / 3].male;
        else
            st->male = synth_rng_below(&rng, 2) == 0;
        make_name(&rng, i, st);
        make_id(&rng, i, &ids, st);

        /* 10642 (the school) + 1 + 2025 + 05 (undergraduate) + serial;
         * degree: 10642 + 4 (bachelor) + 2025 + serial. */
        snprintf(st->diploma_no, sizeof st->diploma_no, "106421202505%06u", (unsigned)((i + 1) % 1000000u));
        snprintf(st->degree_no, sizeof st->degree_no, "1064242025%06u", (unsigned)((i + 1) % 1000000u));
    }
    free(ids.slots);
    return true;
}
