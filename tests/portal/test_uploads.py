from portal.uploads import too_large


def test_the_message_gives_the_limit_in_megabytes(settings):
    settings.MAX_UPLOAD_BYTES = 10 * 1024 * 1024
    assert too_large() == "Tệp quá lớn: tối đa 10 MB."


def test_the_message_names_what_was_too_large(settings):
    settings.MAX_UPLOAD_BYTES = 1536 * 1024
    assert too_large("Ảnh “a.jpg”") == "Ảnh “a.jpg” quá lớn: tối đa 1,5 MB."
