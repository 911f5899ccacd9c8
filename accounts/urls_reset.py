"""The "Quên mật khẩu?" form, at the root (/quen-mat-khau/) beside Django's other reset pages."""

from django.urls import path

from accounts.reset import ThrottledPasswordResetView

urlpatterns = [path("", ThrottledPasswordResetView.as_view(), name="password_reset")]
