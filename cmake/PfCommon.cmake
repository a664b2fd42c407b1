# SPDX-License-Identifier: GPL-3.0-or-later
# SPDX-FileCopyrightText: 2026 The pfstudio authors
#
# pf_options: the one INTERFACE target that carries the language level, the
# warnings and Qt's strictness defines. Every target of the project links it.

add_library(pf_options INTERFACE)
target_compile_features(pf_options INTERFACE cxx_std_20)
set(CMAKE_CXX_EXTENSIONS OFF)
target_compile_options(pf_options INTERFACE -Wall -Wextra -Wpedantic)
if(PF_WERROR)
    target_compile_options(pf_options INTERFACE -Werror)
endif()
target_compile_definitions(pf_options INTERFACE
    QT_NO_CAST_FROM_ASCII
    QT_NO_CAST_TO_ASCII
    QT_NO_CAST_FROM_BYTEARRAY
    QT_USE_QSTRINGBUILDER
    QT_STRICT_ITERATORS
    QT_NO_FOREACH
    QT_NO_KEYWORDS
    BOOST_ASIO_NO_DEPRECATED
    BOOST_BEAST_USE_STD_STRING_VIEW)
if(PF_SANITIZE)
    target_compile_options(pf_options INTERFACE
        -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
    target_link_options(pf_options INTERFACE -fsanitize=address,undefined)
endif()

# pf_add_test(NAME name SOURCES ... LIBS ... [LABELS ...] [TIMEOUT s] [GUI | MODELS])
# One GoogleTest binary per call, registered with CTest case by case. GUI
# tests get a QApplication, MODELS tests a QGuiApplication (both offscreen
# unless QT_QPA_PLATFORM says otherwise).
function(pf_add_test)
    cmake_parse_arguments(T "GUI;MODELS" "NAME;TIMEOUT" "SOURCES;LIBS;LABELS" ${ARGN})
    add_executable(${T_NAME} ${T_SOURCES})
    if(T_GUI)
        set(support pf_test_support_gui)
    elseif(T_MODELS)
        set(support pf_test_support_models)
    else()
        set(support pf_test_support)
    endif()
    target_link_libraries(${T_NAME} PRIVATE pf_options ${support} ${T_LIBS} GTest::gtest GTest::gmock)
    if(NOT T_TIMEOUT)
        set(T_TIMEOUT 300)
    endif()
    gtest_discover_tests(${T_NAME}
        DISCOVERY_TIMEOUT 60
        PROPERTIES TIMEOUT ${T_TIMEOUT} LABELS "${T_LABELS}"
                   ENVIRONMENT "PF_BIN_DIR=${CMAKE_BINARY_DIR}/bin")
endfunction()
