#include "specimen_identity.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <string_view>
#include <vector>

#include "idcard/ethnic_groups.h"

namespace examphoto::testing {
namespace {

struct Region {
  std::string_view code;
  std::string_view prefix;     // province + city + district as printed in the address
  std::string_view authority;  // the police bureau that issues cards there
};

constexpr std::array<Region, 24> kRegions = {{
    // 门 read as 内 at the start of a line is the recogniser's commonest slip on addresses.
    {"110109", "北京市门头沟区", "北京市公安局门头沟分局"},
    {"350203", "福建省厦门市思明区", "厦门市公安局思明分局"},
    {"420802", "湖北省荆门市东宝区", "荆门市公安局东宝分局"},
    {"440703", "广东省江门市蓬江区", "江门市公安局蓬江分局"},
    {"110105", "北京市朝阳区", "北京市公安局朝阳分局"},
    {"310104", "上海市徐汇区", "上海市公安局徐汇分局"},
    {"440106", "广东省广州市天河区", "广州市公安局天河区分局"},
    {"330106", "浙江省杭州市西湖区", "杭州市公安局西湖区分局"},
    {"510107", "四川省成都市武侯区", "成都市公安局武侯区分局"},
    {"420111", "湖北省武汉市洪山区", "武汉市公安局洪山区分局"},
    {"320102", "江苏省南京市玄武区", "南京市公安局玄武分局"},
    {"370102", "山东省济南市历下区", "济南市公安局历下区分局"},
    {"410105", "河南省郑州市金水区", "郑州市公安局金水分局"},
    {"430104", "湖南省长沙市岳麓区", "长沙市公安局岳麓分局"},
    {"610113", "陕西省西安市雁塔区", "西安市公安局雁塔分局"},
    {"500103", "重庆市渝中区", "重庆市公安局渝中区分局"},
    {"530102", "云南省昆明市五华区", "昆明市公安局五华分局"},
    {"650102", "新疆维吾尔自治区乌鲁木齐市天山区", "乌鲁木齐市公安局天山区分局"},
    {"540102", "西藏自治区拉萨市城关区", "拉萨市公安局城关区分局"},
    {"150102", "内蒙古自治区呼和浩特市新城区", "呼和浩特市公安局新城区分局"},
    {"450103", "广西壮族自治区南宁市青秀区", "南宁市公安局青秀分局"},
    {"640104", "宁夏回族自治区银川市兴庆区", "银川市公安局兴庆区分局"},
    {"220102", "吉林省长春市南关区", "长春市公安局南关区分局"},
    {"230103", "黑龙江省哈尔滨市南岗区", "哈尔滨市公安局南岗分局"},
}};

constexpr std::array<std::string_view, 48> kSurnames = {
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴",   "周",   "徐",   "孙",
    "马", "朱", "胡", "郭", "何", "高", "林", "罗", "郑",   "梁",   "谢",   "宋",
    "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "肖",   "田",   "董",   "袁",
    "潘", "于", "蒋", "蔡", "余", "杜", "叶", "程", "欧阳", "司马", "上官", "诸葛"};

constexpr std::array<std::string_view, 80> kGivenCharacters = {
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
    "超", "秀", "霞", "平", "刚", "桂", "英", "华", "玉", "萍", "红", "鹏", "建", "国", "文", "辉",
    "力", "志", "宇", "浩", "俊", "晨", "欣", "怡", "子", "涵", "梓", "轩", "博", "思", "雨", "佳",
    "嘉", "琪", "雪", "倩", "婷", "慧", "晓", "春", "海", "燕", "丹", "波", "宁", "亮", "成", "飞",
    "凯", "东", "林", "兰", "凤", "云", "天", "新", "佩", "德", "瑞", "安", "泽", "诗", "一", "然"};

// Characters that are legal in names but rare in text, the ones OCR engines stumble on.
// About a third are outside the OCR recogniser's 6,623 characters (翀 旻 赟 珮 玙 瑀 昉 湉 琇 暐
// 堉 燊 淏 瑢): the registration check must still match them.
constexpr std::array<std::string_view, 38> kRareCharacters = {
    "珺", "彧", "翀", "昇", "璟", "堃", "犇", "淼", "喆", "玥", "琛", "琰", "晔",
    "旻", "祎", "婧", "骞", "芃", "蕤", "昶", "珏", "炜", "煜", "赟", "珮", "玙",
    "瑀", "昉", "湉", "琇", "暐", "堉", "燊", "淏", "瑢", "珩", "垚", "槿"};

constexpr std::array<std::string_view, 28> kStreets = {
    "东门大街", "西门路", "内环路", "门楼巷", "建设路", "人民路", "解放大道",
    "中山路",   "和平街", "光明路", "文化路", "科技路", "长江路", "黄河路",
    "幸福大街", "胜利路", "青年路", "花园路", "新华街", "朝阳路", "滨江大道",
    "工业园路", "学府路", "南京路", "复兴路", "团结街", "东风路", "育才路"};

constexpr std::array<std::string_view, 19> kEstates = {
    "龙门花园", "金门小区", "门前雅苑", "阳光花园",   "锦绣家园", "翠湖小区", "金色港湾",
    "幸福里",   "紫荆苑",   "书香门第", "东方明珠苑", "梧桐苑",   "丽景湾",   "御景园",
    "碧水云天", "明珠花园", "和谐家园", "瑞祥小区",   "春晖苑"};

constexpr std::array<std::string_view, 12> kTowns = {"城关镇", "新安乡", "白沙镇", "龙泉镇",
                                                     "石桥乡", "清河镇", "桃源乡", "东坝镇",
                                                     "柳林镇", "大营乡", "红星镇", "高岭乡"};

constexpr std::array<std::string_view, 12> kVillages = {"王家村", "李庄村", "上河村", "新农村",
                                                        "东沟村", "前进村", "杨柳村", "红旗村",
                                                        "小湾村", "石门村", "河西村", "马坊村"};

template <typename Container>
const auto& Pick(std::mt19937& rng, const Container& items) {
  std::uniform_int_distribution<size_t> index(0, std::size(items) - 1);
  return items[index(rng)];
}

int Uniform(std::mt19937& rng, int low, int high) {
  return std::uniform_int_distribution<int>(low, high)(rng);
}

std::string MakeName(std::mt19937& rng) {
  std::string name(Pick(rng, kSurnames));
  const int surname_characters = name.size() / 3;  // UTF-8: 3 bytes per character here
  const int length = std::discrete_distribution<int>({0, 0, 30, 60, 10})(rng);
  const int given = std::max(1, length - surname_characters);
  for (int i = 0; i < given; ++i) {
    const bool rare = std::uniform_real_distribution<double>(0, 1)(rng) < 0.08;
    name += rare ? Pick(rng, kRareCharacters) : Pick(rng, kGivenCharacters);
  }
  return name;
}

std::string MakeAddress(std::mt19937& rng, const Region& region) {
  std::string address(region.prefix);
  char buffer[96];
  switch (Uniform(rng, 0, 2)) {
    case 0: {
      const std::string_view street = Pick(rng, kStreets);
      const std::string_view estate = Pick(rng, kEstates);
      std::snprintf(buffer, sizeof buffer, "%.*s%d号%.*s%d栋%d单元%d室",
                    static_cast<int>(street.size()), street.data(), Uniform(rng, 1, 999),
                    static_cast<int>(estate.size()), estate.data(), Uniform(rng, 1, 32),
                    Uniform(rng, 1, 6), Uniform(rng, 1, 33) * 100 + Uniform(rng, 1, 4));
      break;
    }
    case 1: {
      const std::string_view street = Pick(rng, kStreets);
      std::snprintf(buffer, sizeof buffer, "%.*s%d号%d号楼%d门", static_cast<int>(street.size()),
                    street.data(), Uniform(rng, 1, 300), Uniform(rng, 1, 20), Uniform(rng, 1, 12));
      break;
    }
    default: {
      const std::string_view town = Pick(rng, kTowns);
      const std::string_view village = Pick(rng, kVillages);
      std::snprintf(buffer, sizeof buffer, "%.*s%.*s%d组%d号", static_cast<int>(town.size()),
                    town.data(), static_cast<int>(village.size()), village.data(),
                    Uniform(rng, 1, 15), Uniform(rng, 1, 120));
      break;
    }
  }
  return address + buffer;
}

CalendarDate AddYears(CalendarDate date, int years) {
  date.year += years;
  if (date.month == 2 && date.day == 29 && !IsValidCalendarDate(date.year, 2, 29)) date.day = 28;
  return date;
}

CalendarDate RandomDate(std::mt19937& rng, int first_year, int last_year) {
  CalendarDate date{Uniform(rng, first_year, last_year), Uniform(rng, 1, 12), Uniform(rng, 1, 31)};
  while (!IsValidCalendarDate(date.year, date.month, date.day)) --date.day;
  return date;
}

std::string DotDate(const CalendarDate& date) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d.%02d.%02d", date.year, date.month, date.day);
  return buffer;
}

}  // namespace

std::string MakeIdNumber(std::mt19937& rng, const std::string& region_code,
                         const CalendarDate& birth_date, Sex sex) {
  char buffer[24];
  int sequence = Uniform(rng, 0, 99) * 10 + Uniform(rng, 0, 4) * 2 + (sex == Sex::kMale ? 1 : 0);
  std::snprintf(buffer, sizeof buffer, "%s%04d%02d%02d%03d", region_code.c_str(), birth_date.year,
                birth_date.month, birth_date.day, sequence);
  std::string number(buffer);
  number += IdNumberCheckCharacter(number);
  return number;
}

SpecimenIdentity MakeRandomIdentity(std::mt19937& rng, const CalendarDate& today, bool expired,
                                    std::optional<CalendarDate> birth_date) {
  SpecimenIdentity identity;
  const Region& region = Pick(rng, kRegions);
  identity.name = MakeName(rng);
  identity.sex = Uniform(rng, 0, 1) == 0 ? Sex::kMale : Sex::kFemale;
  const auto groups = EthnicGroupNames();
  identity.ethnicity =
      Uniform(rng, 0, 1) == 0 ? std::string(groups[0]) : std::string(Pick(rng, groups));
  identity.address = MakeAddress(rng, region);
  identity.authority = std::string(region.authority);

  // Validity by age at issue (Law on Resident Identity Cards, art. 5): 16–25 ten years,
  // 26–45 twenty years, 46 and over long-term.
  for (int attempt = 0;; ++attempt) {
    identity.birth_date =
        birth_date ? *birth_date : RandomDate(rng, today.year - 60, today.year - 17);
    if (attempt == 1000) {  // a given birth date no period fits: issued at 16, as the law says
      identity.valid_from = AddYears(identity.birth_date, 16);
      identity.valid_to = AddYears(identity.valid_from, 10);
      break;
    }
    identity.valid_from = expired ? RandomDate(rng, today.year - 25, today.year - 11)
                                  : RandomDate(rng, today.year - 19, today.year);
    if (identity.valid_from > today) continue;
    const int age = identity.valid_from.year - identity.birth_date.year;
    if (age < 16) continue;
    if (age <= 25) {
      identity.valid_to = AddYears(identity.valid_from, 10);
    } else if (age <= 45) {
      identity.valid_to = AddYears(identity.valid_from, 20);
    } else {
      identity.valid_to.reset();
    }
    const bool is_expired = identity.valid_to && *identity.valid_to < today;
    if (is_expired == expired) break;
  }
  identity.id_number =
      MakeIdNumber(rng, std::string(region.code), identity.birth_date, identity.sex);
  return identity;
}

bool IsRareNameCharacter(std::string_view character) {
  return std::find(kRareCharacters.begin(), kRareCharacters.end(), character) !=
         kRareCharacters.end();
}

std::string ValidityText(const SpecimenIdentity& identity) {
  return DotDate(identity.valid_from) + "-" +
         (identity.valid_to ? DotDate(*identity.valid_to) : std::string("长期"));
}

}  // namespace examphoto::testing
