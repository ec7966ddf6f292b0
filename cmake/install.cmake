# Install the headers, the models, the pool library and the CLI, and export
# merit::merit and merit::pool so that
# consumers can write find_package(merit CONFIG REQUIRED).
include(CMakePackageConfigHelpers)

install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/competency_models/ DESTINATION ${CMAKE_INSTALL_DATADIR}/merit/competency_models)
install(TARGETS merit merit_pool EXPORT meritTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
if(TARGET merit_cli)
  install(TARGETS merit_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()

set(MERIT_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/merit)
install(EXPORT meritTargets NAMESPACE merit:: DESTINATION ${MERIT_CMAKE_DIR})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/meritConfig.cmake.in
  ${PROJECT_BINARY_DIR}/meritConfig.cmake INSTALL_DESTINATION ${MERIT_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/meritConfigVersion.cmake
  COMPATIBILITY SameMinorVersion ARCH_INDEPENDENT)
install(FILES ${PROJECT_BINARY_DIR}/meritConfig.cmake ${PROJECT_BINARY_DIR}/meritConfigVersion.cmake
  DESTINATION ${MERIT_CMAKE_DIR})
