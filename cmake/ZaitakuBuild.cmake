# Compiler settings shared by every zaitaku target.

find_program(CCACHE_PROGRAM ccache)
if(CCACHE_PROGRAM AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
    set(CMAKE_CXX_COMPILER_LAUNCHER "${CCACHE_PROGRAM}" CACHE STRING "compiler launcher")
    message(STATUS "zaitaku: using ccache (${CCACHE_PROGRAM})")
endif()

add_library(zaitaku_options INTERFACE)
target_compile_options(zaitaku_options INTERFACE
    -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wimplicit-fallthrough)
if(ZAITAKU_WERROR)
    target_compile_options(zaitaku_options INTERFACE -Werror)
endif()
if(ZAITAKU_SANITIZE)
    set(_zaitaku_san -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
    target_compile_options(zaitaku_options INTERFACE ${_zaitaku_san})
    target_link_options(zaitaku_options INTERFACE ${_zaitaku_san})
endif()
if(ZAITAKU_TSAN)
    if(ZAITAKU_SANITIZE)
        message(FATAL_ERROR "ZAITAKU_TSAN and ZAITAKU_SANITIZE exclude each other")
    endif()
    target_compile_options(zaitaku_options INTERFACE -fsanitize=thread -fno-omit-frame-pointer)
    target_link_options(zaitaku_options INTERFACE -fsanitize=thread)
endif()
# Includes are written from the repository root: #include "base/Date.h".
target_include_directories(zaitaku_options INTERFACE "${PROJECT_SOURCE_DIR}")

# zaitaku_library(<name> SOURCES ... [DEPS ...]): a static library with the shared options.
function(zaitaku_library name)
    cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
    add_library(${name} STATIC ${ARG_SOURCES})
    target_link_libraries(${name} PUBLIC zaitaku_options ${ARG_DEPS})
endfunction()
