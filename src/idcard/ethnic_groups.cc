#include "idcard/ethnic_groups.h"

#include <array>

namespace examphoto {
namespace {

// In the order of the national standard GB 3304.
constexpr std::array<std::string_view, 56> kEthnicGroups = {
    "汉",     "蒙古",   "回",       "藏",     "维吾尔",   "苗",   "彝",     "壮",
    "布依",   "朝鲜",   "满",       "侗",     "瑶",       "白",   "土家",   "哈尼",
    "哈萨克", "傣",     "黎",       "傈僳",   "佤",       "畲",   "高山",   "拉祜",
    "水",     "东乡",   "纳西",     "景颇",   "柯尔克孜", "土",   "达斡尔", "仫佬",
    "羌",     "布朗",   "撒拉",     "毛南",   "仡佬",     "锡伯", "阿昌",   "普米",
    "塔吉克", "怒",     "乌孜别克", "俄罗斯", "鄂温克",   "德昂", "保安",   "裕固",
    "京",     "塔塔尔", "独龙",     "鄂伦春", "赫哲",     "门巴", "珞巴",   "基诺",
};

}  // namespace

std::string_view EthnicGroupCharacterStandIn(std::string_view character) {
  return character == "仫" ? "么" : std::string_view();
}

std::span<const std::string_view> EthnicGroupNames() { return kEthnicGroups; }

bool IsEthnicGroupName(std::string_view name) {
  for (std::string_view group : kEthnicGroups) {
    if (group == name) return true;
  }
  return false;
}

}  // namespace examphoto
